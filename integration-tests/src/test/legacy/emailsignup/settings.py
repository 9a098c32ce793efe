from datetime import timedelta

from legacy_common.settings_base import *  # noqa: F401,F403

INSTALLED_APPS = INSTALLED_APPS + ['djoser', 'rest_framework_simplejwt.token_blacklist', 'emailsignup']
ROOT_URLCONF = 'emailsignup.urls'
AUTH_USER_MODEL = 'emailsignup.User'

REST_FRAMEWORK = {
    'DEFAULT_AUTHENTICATION_CLASSES': ['rest_framework_simplejwt.authentication.JWTAuthentication'],
}

SIMPLE_JWT = {
    # The seed's sample tokens: the access token lives 3000 s (exp - iat), the refresh token one day.
    'ACCESS_TOKEN_LIFETIME': timedelta(seconds=3000),
    'REFRESH_TOKEN_LIFETIME': timedelta(days=1),
    # SPEC 4.3: refresh rotates; the used refresh token stops working (SimpleJWT's blacklist app).
    'ROTATE_REFRESH_TOKENS': True,
    'BLACKLIST_AFTER_ROTATION': True,
}

DJOSER = {
    'LOGIN_FIELD': 'email',
    # Seed 002 registers with an email and terms_accepted only; the password comes later (public-set-password).
    'SERIALIZERS': {'user_create': 'emailsignup.serializers.UserCreateSerializer'},
    # JWT only: Djoser's token model (DRF authtoken) is not used.
    'TOKEN_MODEL': None,
}

# Not in the seed: how long an emailed code lives (the pack's default for this dialect: 10 minutes).
CODE_LIFETIME_SECONDS = 600
