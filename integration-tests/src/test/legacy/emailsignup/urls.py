from django.urls import include, path
from rest_framework_simplejwt.views import TokenObtainPairView, TokenRefreshView, TokenVerifyView

from . import views

urlpatterns = [
    path('api/v1/auth/', include('djoser.urls')),
    path('api/v1/auth/token/obtain/', TokenObtainPairView.as_view()),
    path('api/v1/auth/token/refresh/', TokenRefreshView.as_view()),
    path('api/v1/auth/token/verify/', TokenVerifyView.as_view()),
    path('api/v1/auth/verify-code/', views.VerifyCodeView.as_view()),
    path('api/v1/auth/public-set-password/', views.PublicSetPasswordView.as_view()),
    path('api/v1/auth/recovery-request/', views.RecoveryRequestView.as_view()),
    path('api/v1/auth/recovery-reset-password/', views.RecoveryResetPasswordView.as_view()),
    path('api/v1/auth/reset-pin-request/', views.ResetPinRequestView.as_view()),
    path('api/v1/auth/reset-pin-verify/', views.ResetPinVerifyView.as_view()),
]
