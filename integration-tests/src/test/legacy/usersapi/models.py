import secrets
import string

from django.conf import settings
from django.db import models


def new_key():
    """django-rest-passwordreset's default RandomStringTokenGenerator: 10 to 50 letters and digits."""
    length = 10 + secrets.randbelow(41)
    return ''.join(secrets.choice(string.ascii_letters + string.digits) for _ in range(length))


class ResetPasswordToken(models.Model):
    """django-rest-passwordreset's token model, reduced to what its three views use (the package is not packaged
    by Debian; see passwordreset.py)."""
    user = models.ForeignKey(settings.AUTH_USER_MODEL, related_name='password_reset_tokens', on_delete=models.CASCADE)
    created_at = models.DateTimeField(auto_now_add=True)
    key = models.CharField(max_length=64, db_index=True, unique=True, default=new_key)
    ip_address = models.GenericIPAddressField(default='', blank=True, null=True)
    user_agent = models.CharField(max_length=256, default='', blank=True)
