import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError as DjangoValidationError
from django.dispatch import receiver
from django.utils import timezone
from djoser.signals import user_registered
from rest_framework import serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken

from legacy_common import outbox

from .models import EmailCode, User
from .serializers import (INVALID_CODE, PinCodeSerializer, PASSWORD_MISMATCH, PublicSetPasswordSerializer,
                          RecoveryRequestSerializer, RecoveryResetSerializer, VerifyCodeSerializer)


def send_code(email, purpose):
    code = '%06d' % secrets.randbelow(1000000)
    EmailCode.objects.filter(email=email, purpose=purpose).delete()
    EmailCode.objects.create(email=email, purpose=purpose, code=code)
    outbox.send('email', email, purpose, code, 'Your code is %s' % code)


def pending_code(email, purpose, code, verified=False):
    """The live code of this email and purpose if ``code`` is it. Codes given as JSON numbers lose leading zeros."""
    oldest = timezone.now() - timedelta(seconds=settings.CODE_LIFETIME_SECONDS)
    found = EmailCode.objects.filter(email=email, purpose=purpose, verified=verified, created__gte=oldest).first()
    if found is None or found.code.lstrip('0') != str(code).lstrip('0'):
        return None
    return found


def invalid_code():
    return Response({'code': [INVALID_CODE]}, status=status.HTTP_400_BAD_REQUEST)


@receiver(user_registered)
def send_verification_code(sender, user, request, **kwargs):
    """Djoser's UserViewSet.perform_create announces the new user; seed 002 then emails a code."""
    send_code(user.email, EmailCode.EMAIL_VERIFICATION)


class VerifyCodeView(APIView):
    def post(self, request):
        serializer = VerifyCodeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        user = User.objects.filter(email=data['email']).first()
        code = pending_code(data['email'], data['purpose'], data['code'])
        if code is None or user is None:
            return invalid_code()
        user.is_email_verified = True
        user.save()
        if data['purpose'] == EmailCode.PASSWORD_RECOVERY:
            code.verified = True
            code.save()
        else:
            code.delete()
        return Response({'detail': 'ok'})


class PublicSetPasswordView(APIView):
    def post(self, request):
        serializer = PublicSetPasswordSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = serializer.validated_data['user']
        user.set_password(serializer.validated_data['password'])
        user.save()
        return Response({'detail': 'New password has been saved.'})


class RecoveryRequestView(APIView):
    def post(self, request):
        serializer = RecoveryRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        email = serializer.validated_data['email']
        if User.objects.filter(email=email, is_active=True).exists():
            send_code(email, EmailCode.PASSWORD_RECOVERY)
        return Response({'detail': 'Password reset e-mail has been sent.'})


class RecoveryResetPasswordView(APIView):
    def post(self, request):
        serializer = RecoveryResetSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        if data['password'] != data['password2']:
            raise serializers.ValidationError({'password2': [PASSWORD_MISMATCH]})
        user = User.objects.filter(email=data['email'], is_active=True).first()
        code = pending_code(data['email'], EmailCode.PASSWORD_RECOVERY, data['code'], verified=True)
        if user is None or code is None:
            return invalid_code()
        try:
            password_validation.validate_password(data['password'], user)
        except DjangoValidationError as e:
            raise serializers.ValidationError({'password': list(e.messages)})
        user.set_password(data['password'])
        user.save()
        code.delete()
        # "All sessions of the user end": every outstanding refresh token is blacklisted.
        for token in OutstandingToken.objects.filter(user=user):
            BlacklistedToken.objects.get_or_create(token=token)
        return Response({'detail': 'Password has been reset with the new password.'})


class ResetPinRequestView(APIView):
    permission_classes = [IsAuthenticated]

    def post(self, request):
        send_code(request.user.email, EmailCode.PIN_RESET)
        return Response({'detail': 'PIN reset code has been sent.'})


class ResetPinVerifyView(APIView):
    permission_classes = [IsAuthenticated]

    def post(self, request):
        serializer = PinCodeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        code = pending_code(request.user.email, EmailCode.PIN_RESET, serializer.validated_data['code'])
        if code is None:
            return invalid_code()
        code.delete()
        return Response({'detail': 'ok'})
