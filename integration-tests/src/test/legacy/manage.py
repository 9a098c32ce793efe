#!/usr/bin/python3
"""Management commands of a reference backend: ``python3 manage.py <backend> <command> [args...]``.

For the Django backends this is Django's own ``manage.py`` (``migrate``, ``dumpdata``, ``shell -c "..."``,
``createsuperuser`` ...) with the backend's settings. The Flask backend knows ``migrate`` and ``shell -c "..."``
(the code runs with ``app``, ``db`` (a DB-API connection) and ``tables`` in scope).
"""
import sys

import backends


def main():
    if len(sys.argv) < 3:
        raise SystemExit(__doc__)
    backend, command = sys.argv[1], sys.argv[2:]
    if backend in backends.FLASK:
        import importlib
        module = importlib.import_module(backends.package(backend) + '.app')
        module.manage(command)
        return
    backends.package(backend)
    import os
    os.environ['DJANGO_SETTINGS_MODULE'] = backends.package(backend) + '.settings'
    from django.core.management import execute_from_command_line
    execute_from_command_line([sys.argv[0]] + command)


if __name__ == '__main__':
    main()
