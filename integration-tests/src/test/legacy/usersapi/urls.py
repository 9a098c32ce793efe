from django.urls import path
from rest_framework.authtoken.views import obtain_auth_token

from . import passwordreset, views

users = views.UserViewSet.as_view({'post': 'create'})
user = views.UserViewSet.as_view({'get': 'retrieve', 'put': 'update', 'patch': 'partial_update',
                                  'delete': 'destroy', 'post': 'change_password'})

urlpatterns = [
    path('api/v1/users/', users),
    path('api/v1/users/<pk>/', user),
    path('api-token-auth/', obtain_auth_token),
    path('api/password_reset/', passwordreset.ResetPasswordRequestToken.as_view()),
    path('api/password_reset/validate_token/', passwordreset.ResetPasswordValidateToken.as_view()),
    path('api/password_reset/confirm/', passwordreset.ResetPasswordConfirm.as_view()),
]
