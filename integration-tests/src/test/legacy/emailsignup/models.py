from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email, password=None, **extra_fields):
        user = self.model(email=self.normalize_email(email), **extra_fields)
        # No password yet (seed 002 sets it after the email is verified): an unusable one.
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault('is_staff', True)
        extra_fields.setdefault('is_superuser', True)
        return self.create_user(email, password, **extra_fields)


class User(AbstractBaseUser, PermissionsMixin):
    """Logs in with its email (USERNAME_FIELD); accepted the terms at sign-up; has an optional hashed PIN."""
    email = models.EmailField(_('email address'), unique=True)
    terms_accepted = models.BooleanField(default=False)
    pin = models.CharField(max_length=128, blank=True, default='')
    is_email_verified = models.BooleanField(default=False)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False)
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    EMAIL_FIELD = 'email'
    USERNAME_FIELD = 'email'
    REQUIRED_FIELDS = []


class EmailCode(models.Model):
    """A 6-digit code emailed for one purpose. A verified password_recovery code authorises one password reset."""
    EMAIL_VERIFICATION = 'email_verification'
    PASSWORD_RECOVERY = 'password_recovery'
    PIN_RESET = 'pin_reset'

    email = models.EmailField()
    purpose = models.CharField(max_length=32)
    code = models.CharField(max_length=6)
    verified = models.BooleanField(default=False)
    created = models.DateTimeField(auto_now_add=True)
