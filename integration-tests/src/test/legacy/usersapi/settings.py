from legacy_common.settings_base import *  # noqa: F401,F403

INSTALLED_APPS = INSTALLED_APPS + ['rest_framework.authtoken', 'usersapi']
ROOT_URLCONF = 'usersapi.urls'

REST_FRAMEWORK = {
    # The seed documents "Authorization: Bearer <token>" with DRF's token; Token (DRF's own keyword) works too.
    # The first class names the WWW-Authenticate scheme of a 401.
    'DEFAULT_AUTHENTICATION_CLASSES': ['usersapi.authentication.BearerTokenAuthentication',
                                       'rest_framework.authentication.TokenAuthentication'],
    'DEFAULT_PERMISSION_CLASSES': ['rest_framework.permissions.IsAuthenticated'],
}

# django-rest-passwordreset: unknown addresses get the same 200 (SPEC 4.4), tokens live 24 hours (its default).
DJANGO_REST_PASSWORDRESET_NO_INFORMATION_LEAKAGE = True
DJANGO_REST_MULTITOKENAUTH_RESET_TOKEN_EXPIRY_TIME = 24
