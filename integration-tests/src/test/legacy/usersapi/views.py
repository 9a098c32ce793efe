from django.contrib.auth import password_validation
from django.contrib.auth.models import User
from rest_framework import permissions, serializers, status, viewsets
from rest_framework.response import Response


class UserSerializer(serializers.ModelSerializer):
    """Registration: the seed's payload {username, password, first_name, last_name, email}; never the password back."""

    class Meta:
        model = User
        fields = ('id', 'username', 'password', 'first_name', 'last_name', 'email')
        extra_kwargs = {'password': {'write_only': True, 'style': {'input_type': 'password'}}}

    def validate_password(self, value):
        # SPEC 2.4: the password policy applies (Django's validators, as configured in settings).
        password_validation.validate_password(value)
        return value

    def create(self, validated_data):
        return User.objects.create_user(**validated_data)


class UserUpdateSerializer(serializers.ModelSerializer):
    """Updates take {first_name, last_name, email} (the seed's payload); the answer is the user."""

    class Meta:
        model = User
        fields = ('id', 'username', 'first_name', 'last_name', 'email')
        read_only_fields = ('id', 'username')


class ChangePasswordSerializer(serializers.Serializer):
    """The widely copied DRF ChangePasswordView the seed's "Change User Password" row reads like."""
    old_password = serializers.CharField(required=True)
    new_password = serializers.CharField(required=True)

    def validate_new_password(self, value):
        password_validation.validate_password(value, self.context['request'].user)
        return value


class UserViewSet(viewsets.ModelViewSet):
    serializer_class = UserSerializer

    def get_queryset(self):
        # SPEC 4.4: a user reaches only itself (another id is 404); staff reach everyone.
        user = self.request.user
        if user.is_staff:
            return User.objects.all().order_by('pk')
        return User.objects.filter(pk=user.pk)

    def get_permissions(self):
        if self.action == 'create':
            return [permissions.AllowAny()]
        return [permissions.IsAuthenticated()]

    def get_serializer_class(self):
        if self.action in ('update', 'partial_update'):
            return UserUpdateSerializer
        if self.action == 'change_password':
            return ChangePasswordSerializer
        return UserSerializer

    def retrieve(self, request, *args, **kwargs):
        return Response(UserUpdateSerializer(self.get_object()).data)

    def change_password(self, request, *args, **kwargs):
        user = self.get_object()
        serializer = self.get_serializer(data=request.data)
        if serializer.is_valid():
            if not user.check_password(serializer.data.get('old_password')):
                return Response({'old_password': ['Wrong password.']}, status=status.HTTP_400_BAD_REQUEST)
            user.set_password(serializer.data.get('new_password'))
            user.save()
            return Response({'status': 'success', 'code': status.HTTP_200_OK,
                             'message': 'Password updated successfully', 'data': []})
        return Response(serializer.errors, status=status.HTTP_400_BAD_REQUEST)
