from legacy_common.settings_base import *  # noqa: F401,F403

INSTALLED_APPS = INSTALLED_APPS + ['rest_framework.authtoken', 'tokenauth']
ROOT_URLCONF = 'tokenauth.urls'
# The seed's accounts carry a phone number and verification flags: a custom user model (Django's recommended way).
AUTH_USER_MODEL = 'tokenauth.User'

REST_FRAMEWORK = {
    # The seed documents "Authorization: Token ..." only. DRF's default (session + basic) would answer 403 without a
    # WWW-Authenticate header; SPEC 4.1 gives 401 with "WWW-Authenticate: Token", i.e. TokenAuthentication first.
    'DEFAULT_AUTHENTICATION_CLASSES': ['rest_framework.authentication.TokenAuthentication'],
}

# Seed 000 does not say how long a code lives; the pack's default for this dialect is 10 minutes.
VERIFICATION_CODE_LIFETIME_SECONDS = 600
