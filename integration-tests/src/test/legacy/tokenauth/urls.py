from django.urls import path

from . import views

urlpatterns = [
    path('api/register/', views.RegisterView.as_view()),
    path('api/verify-user/', views.VerifyUserView.as_view()),
    path('api/login/', views.LoginView.as_view()),
    path('api/logout/', views.LogoutView.as_view()),
    path('api/change-password/', views.ChangePasswordView.as_view()),
    path('api/profile/', views.ProfileView.as_view()),
]
