"""The reference backends: dialect id -> Python package, and how to bring each one up."""
import os

DJANGO = {
    'token-auth': 'tokenauth',
    'email-signup': 'emailsignup',
    'users-api': 'usersapi',
    'jwt-auth': 'jwtauth',
}
FLASK = {
    'phone-otp': 'phoneotp',
}
ALL = sorted(list(DJANGO) + list(FLASK))


def package(backend):
    if backend in DJANGO:
        return DJANGO[backend]
    if backend in FLASK:
        return FLASK[backend]
    raise SystemExit('unknown backend %r; one of %s' % (backend, ', '.join(ALL)))


def setup_django(backend):
    os.environ['DJANGO_SETTINGS_MODULE'] = package(backend) + '.settings'
    import django
    django.setup()


def prepare(backend):
    """Creates or updates the schema (idempotent) and returns the WSGI application."""
    if backend in FLASK:
        import importlib
        module = importlib.import_module(package(backend) + '.app')
        module.create_schema()
        return module.app
    setup_django(backend)
    from django.core.management import call_command
    call_command('migrate', interactive=False, verbosity=0)
    from django.core.wsgi import get_wsgi_application
    return get_wsgi_application()
