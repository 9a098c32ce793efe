from django.urls import path
from rest_framework_simplejwt.views import TokenObtainPairView, TokenRefreshView, TokenVerifyView

from . import views

# Seed 004's paths have no trailing slash.
urlpatterns = [
    path('auth/token', TokenObtainPairView.as_view()),
    path('auth/token/refresh', TokenRefreshView.as_view()),
    path('auth/token/verify', TokenVerifyView.as_view()),
    path('auth/register', views.RegisterView.as_view()),
    path('auth/getuser', views.GetUserView.as_view()),
]
