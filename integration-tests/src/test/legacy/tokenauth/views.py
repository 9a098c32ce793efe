import secrets
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from rest_framework import status
from rest_framework.authtoken.models import Token
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from legacy_common import outbox

from .models import VerificationCode
from .serializers import (INVALID_CODE, ChangePasswordSerializer, LoginSerializer, RegisterSerializer,
                          VerifySerializer)

REGISTERED = ('Successfully Registered. A verification code is sent to your given Phone Number/Email. '
              'Please verify your Phone Number/Email.')


def errors(serializer):
    """The seed's error shape: the serializer's errors under "error_message"."""
    return Response({'error_message': serializer.errors}, status=status.HTTP_400_BAD_REQUEST)


def new_code():
    while True:
        code = '%05d' % secrets.randbelow(100000)
        if not VerificationCode.objects.filter(code=code).exists():
            return code


class RegisterView(APIView):
    @transaction.atomic
    def post(self, request):
        serializer = RegisterSerializer(data=request.data)
        if not serializer.is_valid():
            return errors(serializer)
        user = serializer.save()
        for channel, address in ((VerificationCode.PHONE, user.phone_number), (VerificationCode.EMAIL, user.email)):
            if address:
                code = VerificationCode.objects.create(user=user, channel=channel, code=new_code()).code
                outbox.send('sms' if channel == VerificationCode.PHONE else 'email', address, 'registration', code,
                            'Your verification code is %s' % code)
        return Response({'success_message': REGISTERED})


class VerifyUserView(APIView):
    def post(self, request):
        serializer = VerifySerializer(data=request.data)
        if not serializer.is_valid():
            return errors(serializer)
        oldest = timezone.now() - timedelta(seconds=settings.VERIFICATION_CODE_LIFETIME_SECONDS)
        code = VerificationCode.objects.filter(code=serializer.validated_data['code'], created__gte=oldest).first()
        if code is None:
            return Response({'error_message': {'code': [INVALID_CODE]}}, status=status.HTTP_400_BAD_REQUEST)
        user = code.user
        if code.channel == VerificationCode.PHONE:
            user.is_phone_verified = True
        else:
            user.is_email_verified = True
        user.save()
        code.delete()
        return Response({'success_message': 'Successfully Verified. You can now log in.'})


class LoginView(APIView):
    def post(self, request):
        serializer = LoginSerializer(data=request.data, context={'request': request})
        if not serializer.is_valid():
            return errors(serializer)
        token, _ = Token.objects.get_or_create(user=serializer.validated_data['user'])
        return Response({'token': token.key})


class LogoutView(APIView):
    permission_classes = [IsAuthenticated]

    def get(self, request):
        request.auth.delete()
        return Response({'success_message': 'Successfully Logged Out.'})

    def post(self, request):
        return self.get(request)


class ChangePasswordView(APIView):
    permission_classes = [IsAuthenticated]

    def post(self, request):
        serializer = ChangePasswordSerializer(data=request.data, context={'request': request})
        if not serializer.is_valid():
            return errors(serializer)
        user = request.user
        user.set_password(serializer.validated_data['new_password'])
        user.save()
        # One key per user (DRF's Token): the old one goes, the caller gets a new one.
        Token.objects.filter(user=user).delete()
        return Response({'token': Token.objects.create(user=user).key})


class ProfileView(APIView):
    permission_classes = [IsAuthenticated]

    def get(self, request):
        user = request.user
        return Response({
            'id': user.pk,
            'username': user.username,
            'email': user.email,
            'phone_number': user.phone_number,
            'is_email_verified': bool(user.email) and user.is_email_verified,
            'is_phone_verified': bool(user.phone_number) and user.is_phone_verified,
        })
