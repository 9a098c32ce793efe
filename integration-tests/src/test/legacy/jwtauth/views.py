from django.contrib.auth import password_validation
from django.contrib.auth.models import User
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework_simplejwt.tokens import RefreshToken


class RegisterSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(trim_whitespace=False)

    def validate_password(self, value):
        # SPEC 2.4: the password policy applies.
        password_validation.validate_password(value)
        return value


class RegisterView(APIView):
    """The seed's register: 201 with a token pair, 409 {"detail": "User already exists"}."""
    permission_classes = [AllowAny]

    def post(self, request):
        serializer = RegisterSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        if User.objects.filter(username=data['username']).exists():
            return Response({'detail': 'User already exists'}, status=status.HTTP_409_CONFLICT)
        user = User.objects.create_user(username=data['username'], password=data['password'])
        refresh = RefreshToken.for_user(user)
        return Response({'refresh': str(refresh), 'access': str(refresh.access_token)},
                        status=status.HTTP_201_CREATED)


class GetUserView(APIView):
    permission_classes = [IsAuthenticated]

    def get(self, request):
        return Response({'username': request.user.username})
