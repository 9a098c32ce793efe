from legacy_common.settings_base import *  # noqa: F401,F403

INSTALLED_APPS = INSTALLED_APPS + ['rest_framework_simplejwt.token_blacklist', 'jwtauth']
ROOT_URLCONF = 'jwtauth.urls'

REST_FRAMEWORK = {
    'DEFAULT_AUTHENTICATION_CLASSES': ['rest_framework_simplejwt.authentication.JWTAuthentication'],
}

SIMPLE_JWT = {
    # SPEC 4.5: refresh rotates and the old refresh token stops working (SimpleJWT's blacklist app). Lifetimes: the
    # seed names none, so SimpleJWT's defaults (5 minutes, 1 day).
    'ROTATE_REFRESH_TOKENS': True,
    'BLACKLIST_AFTER_ROTATION': True,
}
