import re

from django.contrib.auth import authenticate, password_validation
from rest_framework import serializers
from rest_framework.validators import UniqueValidator

from .models import User

# Seed 000 gives no texts for these; the reference uses the pack's, so that the comparison is about behaviour (which
# error, which status, which shape) rather than wording nobody can know.
INVALID_PHONE = 'Enter a valid phone number.'
PHONE_TAKEN = 'A user with that phone number already exists.'
EMAIL_TAKEN = 'A user with that email already exists.'
PHONE_OR_EMAIL = 'Please provide a Phone Number or an Email.'
NOT_VERIFIED = 'Account is not verified. Please verify your Phone Number/Email.'
INVALID_CODE = 'Invalid or expired verification code.'

# "string with '+' and country code": E.164.
E164 = re.compile(r'^\+[1-9]\d{6,14}$')


class RegisterSerializer(serializers.ModelSerializer):
    phone_number = serializers.CharField(required=False, allow_blank=True, allow_null=True, max_length=64)
    email = serializers.EmailField(required=False, allow_blank=True, allow_null=True,
                                   validators=[UniqueValidator(User.objects.all(), message=EMAIL_TAKEN)])

    class Meta:
        model = User
        fields = ['username', 'password', 'phone_number', 'email']
        extra_kwargs = {'password': {'write_only': True, 'style': {'input_type': 'password'},
                                     'trim_whitespace': False}}

    def validate_phone_number(self, value):
        if not value:
            return ''
        value = re.sub(r'[\s()-]', '', value)
        if not E164.match(value):
            raise serializers.ValidationError(INVALID_PHONE)
        if User.objects.filter(phone_number=value).exists():
            raise serializers.ValidationError(PHONE_TAKEN)
        return value

    def validate_password(self, value):
        password_validation.validate_password(value)
        return value

    def validate(self, attrs):
        if not attrs.get('phone_number') and not attrs.get('email'):
            raise serializers.ValidationError(PHONE_OR_EMAIL)
        return attrs

    def create(self, validated_data):
        return User.objects.create_user(username=validated_data['username'], password=validated_data['password'],
                                        email=validated_data.get('email') or '',
                                        phone_number=validated_data.get('phone_number') or '')


class VerifySerializer(serializers.Serializer):
    code = serializers.CharField(max_length=32)


class LoginSerializer(serializers.Serializer):
    """DRF's AuthTokenSerializer, plus the seed's rule that an unverified account may not log in."""
    username = serializers.CharField(write_only=True)
    password = serializers.CharField(trim_whitespace=False, write_only=True, style={'input_type': 'password'})

    def validate(self, attrs):
        user = authenticate(request=self.context.get('request'), username=attrs['username'],
                            password=attrs['password'])
        if not user:
            raise serializers.ValidationError('Unable to log in with provided credentials.', code='authorization')
        if not (user.is_phone_verified or user.is_email_verified):
            raise serializers.ValidationError(NOT_VERIFIED, code='authorization')
        attrs['user'] = user
        return attrs


class ChangePasswordSerializer(serializers.Serializer):
    old_password = serializers.CharField(trim_whitespace=False)
    new_password = serializers.CharField(trim_whitespace=False)

    def validate_old_password(self, value):
        if not self.context['request'].user.check_password(value):
            # Django's PasswordChangeForm.
            raise serializers.ValidationError('Your old password was entered incorrectly. Please enter it again.')
        return value

    def validate_new_password(self, value):
        password_validation.validate_password(value, self.context['request'].user)
        return value
