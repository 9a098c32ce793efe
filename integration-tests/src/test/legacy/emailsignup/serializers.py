from django.contrib.auth import password_validation
from rest_framework import serializers

from .models import EmailCode, User

# Texts seed 002 does not give; the reference uses the pack's, so that the comparison is about behaviour.
TERMS_REQUIRED = 'You must accept the terms and conditions.'
INVALID_CODE = 'Invalid or expired code.'
SET_PASSWORD_NOT_ALLOWED = ('The email address is not verified or the account already has a password. '
                            'Use account recovery instead.')
# Django's SetPasswordForm (with its typographic apostrophe).
PASSWORD_MISMATCH = 'The two password fields didn\u2019t match.'


class UserCreateSerializer(serializers.ModelSerializer):
    """Djoser's user_create serializer as seed 002 registers: email and terms_accepted, no password."""

    class Meta:
        model = User
        fields = ('id', 'email', 'terms_accepted')
        extra_kwargs = {'terms_accepted': {'write_only': True, 'required': True}}

    def validate_terms_accepted(self, value):
        if not value:
            raise serializers.ValidationError(TERMS_REQUIRED)
        return value

    def create(self, validated_data):
        return User.objects.create_user(validated_data['email'], terms_accepted=True)


class VerifyCodeSerializer(serializers.Serializer):
    email = serializers.EmailField()
    code = serializers.CharField(max_length=32)
    purpose = serializers.ChoiceField([EmailCode.EMAIL_VERIFICATION, EmailCode.PASSWORD_RECOVERY])


class PublicSetPasswordSerializer(serializers.Serializer):
    email = serializers.EmailField()
    password = serializers.CharField(trim_whitespace=False)
    repeat_password = serializers.CharField(trim_whitespace=False)

    def validate(self, attrs):
        if attrs['password'] != attrs['repeat_password']:
            raise serializers.ValidationError({'repeat_password': [PASSWORD_MISMATCH]})
        user = User.objects.filter(email=attrs['email']).first()
        if user is None or not user.is_active or not user.is_email_verified or user.has_usable_password():
            raise serializers.ValidationError(SET_PASSWORD_NOT_ALLOWED)
        try:
            password_validation.validate_password(attrs['password'], user)
        except Exception as e:  # django.core.exceptions.ValidationError
            raise serializers.ValidationError({'password': list(e.messages)})
        attrs['user'] = user
        return attrs


class RecoveryRequestSerializer(serializers.Serializer):
    email = serializers.EmailField()


class RecoveryResetSerializer(serializers.Serializer):
    email = serializers.EmailField()
    code = serializers.CharField(max_length=32)
    password = serializers.CharField(trim_whitespace=False)
    password2 = serializers.CharField(trim_whitespace=False)


class PinCodeSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=32)
