#!/usr/bin/python3
"""Measures the import of legacy users (docs/migration.md): users/s for a Django dumpdata file of N users.

    /usr/bin/python3 benchmark/import_benchmark.py --users 100000 --url http://localhost:8080

Makes one hash per Django hasher with Django itself (pbkdf2_sha256, pbkdf2_sha1, argon2, bcrypt_sha256, bcrypt; an
import stores hashes and never computes one, so users may share them), writes a dumpdata file of N users in
``auth.group auth.user`` order (two groups, every tenth user staff, names, emails, dates), creates a realm of its own
(``dropin-import-benchmark``, deleted first if it exists), and runs ``tools/dropin-import.py`` on the file as an
operator would. Prints the tool's summary and appends nothing anywhere: record the figure in benchmark/RESULTS.md.
Needs Debian's python3-django, python3-argon2 and python3-bcrypt (as the import tests) and a running Keycloak with
the pack (``./run.sh``).
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


def hashes():
    from django.conf import settings
    settings.configure()
    from django.contrib.auth import hashers
    classes = [hashers.PBKDF2PasswordHasher, hashers.PBKDF2SHA1PasswordHasher, hashers.Argon2PasswordHasher,
               hashers.BCryptSHA256PasswordHasher, hashers.BCryptPasswordHasher]
    return [cls().encode('Bench-pass-1', cls().salt()) for cls in classes]


def write_dump(path, users):
    made = hashes()
    with open(path, 'w', encoding='utf-8') as f:
        f.write('[\n')
        for pk, name in ((1, 'customers'), (2, 'editors')):
            f.write(json.dumps({'model': 'auth.group', 'pk': pk, 'fields': {'name': name, 'permissions': []}}) + ',\n')
        for pk in range(1, users + 1):
            user = {'model': 'auth.user', 'pk': pk, 'fields': {
                'password': made[pk % len(made)], 'last_login': None, 'is_superuser': False,
                'username': 'bench-%06d' % pk, 'first_name': 'Bench', 'last_name': 'User %d' % pk,
                'email': 'bench-%06d@example.test' % pk, 'is_staff': pk % 10 == 0, 'is_active': True,
                'date_joined': '2023-07-10T17:00:00.000Z', 'groups': [1 + pk % 2], 'user_permissions': []}}
            f.write(json.dumps(user) + (',\n' if pk < users else '\n'))
        f.write(']\n')


def admin_request(args, method, path, body=None):
    form = urllib.parse.urlencode({'grant_type': 'password', 'client_id': 'admin-cli', 'username': args.user,
                                   'password': args.password}).encode()
    token = json.loads(urllib.request.urlopen(args.url + '/realms/master/protocol/openid-connect/token', form)
                       .read())['access_token']
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(args.url + '/admin' + path, data=data, method=method,
                                     headers={'Authorization': 'Bearer ' + token, 'Content-Type': 'application/json'})
    try:
        return urllib.request.urlopen(request).read()
    except urllib.error.HTTPError as e:
        if e.code != 404:
            raise


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('--users', type=int, default=100000)
    parser.add_argument('--url', default='http://localhost:8080')
    parser.add_argument('--realm', default='dropin-import-benchmark')
    parser.add_argument('--user', default=os.environ.get('KEYCLOAK_ADMIN', 'admin'))
    parser.add_argument('--password', default=os.environ.get('KEYCLOAK_ADMIN_PASSWORD', 'admin'))
    parser.add_argument('--keep', action='store_true', help='keep the realm afterwards')
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        dump = os.path.join(tmp, 'users.json')
        started = time.time()
        write_dump(dump, args.users)
        print('[import-benchmark] %d users written (%d MB) in %.0f s' % (
            args.users, os.path.getsize(dump) // (1024 * 1024), time.time() - started), file=sys.stderr)
        admin_request(args, 'DELETE', '/realms/' + args.realm)
        admin_request(args, 'POST', '/realms', {'realm': args.realm, 'enabled': True})
        try:
            result = subprocess.run([sys.executable, os.path.join(ROOT, 'tools', 'dropin-import.py'), '--url', args.url,
                                     '--realm', args.realm, '--user', args.user, '--password', args.password,
                                     '--email-verified', 'true', dump], stdout=subprocess.PIPE, text=True)
            print(result.stdout)
            summary = json.loads(result.stdout)
            print('[import-benchmark] %d users imported in %.0f s: %.0f users/s' % (
                summary['created'] + summary['updated'], summary['seconds'], summary['usersPerSecond']), file=sys.stderr)
            return result.returncode
        finally:
            if not args.keep:
                admin_request(args, 'DELETE', '/realms/' + args.realm)


if __name__ == '__main__':
    sys.exit(main())
