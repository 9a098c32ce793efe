"""Django settings every Django reference backend starts from: what ``django-admin startproject`` gives (minus the
admin, sessions and templates none of the seeds use), DEBUG off as in production, and the database of
LEGACY_DATABASE. Each backend's settings module imports this and adds its apps and framework configuration."""
import os

from legacy_common.database import django_databases

SECRET_KEY = os.environ.get('LEGACY_SECRET_KEY', 'reference-backend-test-only-not-a-secret')
DEBUG = False
ALLOWED_HOSTS = ['*']

INSTALLED_APPS = [
    'django.contrib.auth',
    'django.contrib.contenttypes',
    'rest_framework',
]

# startproject's middleware without sessions, messages and the admin's authentication middleware (DRF authenticates
# by itself). CommonMiddleware keeps APPEND_SLASH: a seed path requested without its slash is redirected (301).
MIDDLEWARE = [
    'django.middleware.security.SecurityMiddleware',
    'django.middleware.common.CommonMiddleware',
    'django.middleware.csrf.CsrfViewMiddleware',
    'django.middleware.clickjacking.XFrameOptionsMiddleware',
]

DATABASES = django_databases()
DEFAULT_AUTO_FIELD = 'django.db.models.AutoField'

# The realm fixtures of the conformance tests use the password policy "length(8) and notEntirelyNumeric", i.e. these
# two of Django's default validators, in this order.
AUTH_PASSWORD_VALIDATORS = [
    {'NAME': 'django.contrib.auth.password_validation.MinimumLengthValidator', 'OPTIONS': {'min_length': 8}},
    {'NAME': 'django.contrib.auth.password_validation.NumericPasswordValidator'},
]

# Every hasher Django 3.2 ships with that has its library installed; new passwords get the first (Django's default).
PASSWORD_HASHERS = [
    'django.contrib.auth.hashers.PBKDF2PasswordHasher',
    'django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher',
    'django.contrib.auth.hashers.Argon2PasswordHasher',
    'django.contrib.auth.hashers.BCryptSHA256PasswordHasher',
    'django.contrib.auth.hashers.BCryptPasswordHasher',
]

LANGUAGE_CODE = 'en-us'
TIME_ZONE = 'UTC'
USE_I18N = True
USE_TZ = True

LOGGING = {
    'version': 1,
    'disable_existing_loggers': False,
    'handlers': {'console': {'class': 'logging.StreamHandler'}},
    'root': {'handlers': ['console'], 'level': 'WARNING'},
}
