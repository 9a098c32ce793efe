"""django-rest-passwordreset's three views, reproduced minimally.

The package is not in Debian, so the reference carries the parts of its views.py and serializers.py (version 1.3/1.4)
the seed's three endpoints use, unchanged in behaviour: the serializers and their order of checks, Http404 for an
unknown or expired token (which DRF turns into its 404 body), the password validators on confirm, re-use of a pending
token, and {"status": "OK"}. Sending the email (a signal receiver in the original apps) writes the token to the outbox.
"""
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import get_password_validators, validate_password
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404 as _get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, serializers
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response

from legacy_common import outbox

from .models import ResetPasswordToken

User = get_user_model()


def expiry_hours():
    return getattr(settings, 'DJANGO_REST_MULTITOKENAUTH_RESET_TOKEN_EXPIRY_TIME', 24)


def eligible_for_reset(user):
    return user.is_active and user.has_usable_password()


class EmailSerializer(serializers.Serializer):
    email = serializers.EmailField()


class PasswordValidateMixin:
    def validate(self, data):
        token = data.get('token')
        try:
            reset_password_token = _get_object_or_404(ResetPasswordToken, key=token)
        except (TypeError, ValueError, ValidationError, Http404, ResetPasswordToken.DoesNotExist):
            raise Http404(_('The OTP password entered is not valid. Please check and try again.'))
        if timezone.now() > reset_password_token.created_at + timedelta(hours=expiry_hours()):
            reset_password_token.delete()
            raise Http404(_('The token has expired'))
        return data


class PasswordTokenSerializer(PasswordValidateMixin, serializers.Serializer):
    password = serializers.CharField(label=_('Password'), style={'input_type': 'password'})
    token = serializers.CharField()


class ResetTokenSerializer(PasswordValidateMixin, serializers.Serializer):
    token = serializers.CharField()


class ResetPasswordValidateToken(GenericAPIView):
    throttle_classes = ()
    permission_classes = ()
    serializer_class = ResetTokenSerializer

    def post(self, request, *args, **kwargs):
        serializer = self.serializer_class(data=request.data)
        serializer.is_valid(raise_exception=True)
        return Response({'status': 'OK'})


class ResetPasswordConfirm(GenericAPIView):
    throttle_classes = ()
    permission_classes = ()
    serializer_class = PasswordTokenSerializer

    def post(self, request, *args, **kwargs):
        serializer = self.serializer_class(data=request.data)
        serializer.is_valid(raise_exception=True)
        password = serializer.validated_data['password']
        token = serializer.validated_data['token']
        user = ResetPasswordToken.objects.filter(key=token).first().user
        if eligible_for_reset(user):
            try:
                validate_password(password=password, user=user,
                                  password_validators=get_password_validators(settings.AUTH_PASSWORD_VALIDATORS))
            except ValidationError as e:
                raise exceptions.ValidationError({'password': e.messages})
            user.set_password(password)
            user.save()
        ResetPasswordToken.objects.filter(user=user).delete()
        return Response({'status': 'OK'})


class ResetPasswordRequestToken(GenericAPIView):
    throttle_classes = ()
    permission_classes = ()
    serializer_class = EmailSerializer

    def post(self, request, *args, **kwargs):
        serializer = self.serializer_class(data=request.data)
        serializer.is_valid(raise_exception=True)
        email = serializer.validated_data['email']
        ResetPasswordToken.objects.filter(
            created_at__lte=timezone.now() - timedelta(hours=expiry_hours())).delete()
        users = User.objects.filter(email__iexact=email)
        active_user_found = any(eligible_for_reset(user) for user in users)
        if not active_user_found and not getattr(settings, 'DJANGO_REST_PASSWORDRESET_NO_INFORMATION_LEAKAGE', False):
            raise exceptions.ValidationError({'email': [_(
                "We couldn't find an account associated with that email. Please try a different e-mail address.")]})
        for user in users:
            if eligible_for_reset(user):
                token = user.password_reset_tokens.all().first()
                if token is None:
                    token = ResetPasswordToken.objects.create(
                        user=user, user_agent=request.META.get('HTTP_USER_AGENT', '')[:256],
                        ip_address=request.META.get('REMOTE_ADDR', ''))
                # The original's reset_password_token_created receiver emails the key.
                outbox.send('email', user.email, 'password_reset', token.key,
                            'Your password reset token is %s' % token.key)
        return Response({'status': 'OK'})
