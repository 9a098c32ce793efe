"""Reference backend of seed 004 (dialect jwt-auth): SimpleJWT's own TokenObtainPairView, TokenRefreshView and
TokenVerifyView over Django's users, plus the seed's register and getuser views."""
