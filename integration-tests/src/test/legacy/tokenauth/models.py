from django.contrib.auth.models import AbstractUser
from django.db import models


class User(AbstractUser):
    """Django's user with the seed's phone number ("+<country code>..." or empty) and a verified flag per channel."""
    phone_number = models.CharField(max_length=32, blank=True, default='')
    is_phone_verified = models.BooleanField(default=False)
    is_email_verified = models.BooleanField(default=False)


class VerificationCode(models.Model):
    """A 5-digit code sent to one channel of a new account. verify-user takes the code alone, so pending codes are
    unique."""
    PHONE = 'phone'
    EMAIL = 'email'

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name='verification_codes')
    channel = models.CharField(max_length=5, choices=[(PHONE, PHONE), (EMAIL, EMAIL)])
    code = models.CharField(max_length=5, unique=True)
    created = models.DateTimeField(auto_now_add=True)
