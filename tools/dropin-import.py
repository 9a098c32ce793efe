#!/usr/bin/env python3
"""Imports legacy users into a Keycloak realm through the drop-in pack's admin endpoint.

    python3 tools/dropin-import.py --url http://localhost:8080 --realm demo users.json
    python3 tools/dropin-import.py --realm demo --dry-run --report refused.jsonl users.json
    python3 tools/dropin-import.py --realm demo --format csv phone_users.csv

The file is a Django ``manage.py dumpdata auth.group auth.user`` export (JSON; ``--model app.user`` for a custom user
model; ``dumpdata authtoken.token`` and ``dumpdata token_blacklist`` files carry DRF keys and SimpleJWT's blacklist, see
"Keeping users signed in") or a CSV file with the columns of docs/migration.md. It is read as a stream and sent in parts of
``--rows-per-request`` records (Keycloak limits a request body to 10 MB), each one answered with its report; memory
stays flat whatever the file's size. Progress goes to stderr, every refused row and warning too (and, with
``--report FILE``, as JSON lines to FILE); the summary is printed as JSON at the end.

Signs in to Keycloak's admin API with ``--user``/``--password`` (default: environment KEYCLOAK_ADMIN and
KEYCLOAK_ADMIN_PASSWORD) through ``--client-id`` (admin-cli) of ``--admin-realm`` (master), or with a client's
credentials (``--client-id`` and ``--client-secret``, a service account with manage-users). The import is idempotent by
legacy id: a run that stopped can simply be repeated.

Exit status: 0 when every record was imported, 2 when some were refused (see the report), 1 on errors.
Python 3.8+, standard library only.
"""
import argparse
import csv
import io
import json
import os
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

MAX_PART_BYTES = 8 * 1024 * 1024
COUNTS = ['rows', 'created', 'updated', 'refused', 'withoutPassword', 'warnings', 'groupsCreated', 'groupsUpdated',
          'skipped', 'tokens', 'tokensUnchanged', 'refreshTokens', 'refreshTokensBlacklisted']


def log(message):
    print('[dropin-import] ' + message, file=sys.stderr, flush=True)


class Admin:
    """An admin token, renewed before it expires (admin-cli tokens live a minute by default)."""

    def __init__(self, args):
        self.args = args
        self.token = None
        self.expires = 0

    def bearer(self):
        if self.token is None or time.time() > self.expires - 15:
            form = {'client_id': self.args.client_id}
            if self.args.client_secret:
                form.update(grant_type='client_credentials', client_secret=self.args.client_secret)
            else:
                if not self.args.password:
                    raise SystemExit('dropin-import: no admin password (--password or KEYCLOAK_ADMIN_PASSWORD)')
                form.update(grant_type='password', username=self.args.user, password=self.args.password)
            url = '%s/realms/%s/protocol/openid-connect/token' % (self.args.url, urllib.parse.quote(self.args.admin_realm))
            answer = json.loads(request(url, urllib.parse.urlencode(form).encode(),
                                        'application/x-www-form-urlencoded', None))
            self.token = answer['access_token']
            self.expires = time.time() + int(answer.get('expires_in', 60))
        return 'Bearer ' + self.token


def request(url, body, content_type, authorization):
    headers = {'Content-Type': content_type, 'Accept': 'application/json'}
    if authorization:
        headers['Authorization'] = authorization
    try:
        with urllib.request.urlopen(urllib.request.Request(url, data=body, headers=headers, method='POST'),
                                    timeout=3600) as response:
            return response.read().decode('utf-8')
    except urllib.error.HTTPError as e:
        text = e.read().decode('utf-8', 'replace')
        raise HttpError(e.code, text)
    except urllib.error.URLError as e:
        raise SystemExit('dropin-import: cannot reach %s: %s' % (url, e.reason))


class HttpError(Exception):
    def __init__(self, status, body):
        super().__init__('HTTP %d: %s' % (status, body[:500]))
        self.status = status
        self.body = body


def json_array_items(text, chunk=1 << 20):
    """The items of a JSON array read from ``text`` (a text stream) one at a time, without reading it all."""
    decoder = json.JSONDecoder()
    buf, pos, eof = '', 0, False

    def fill():
        nonlocal buf, pos, eof
        data = text.read(chunk)
        eof = not data
        buf, pos = buf[pos:] + data, 0

    def skip_blank():
        nonlocal pos
        while True:
            while pos < len(buf) and buf[pos] in ' \t\r\n':
                pos += 1
            if pos < len(buf) or eof:
                return
            fill()

    skip_blank()
    if buf[pos:pos + 1] == '\ufeff':
        pos += 1
        skip_blank()
    if buf[pos:pos + 1] != '[':
        raise SystemExit('dropin-import: a dumpdata file is a JSON array')
    pos += 1
    while True:
        skip_blank()
        if pos >= len(buf):
            raise SystemExit('dropin-import: the JSON array is not closed at the end of the file')
        if buf[pos] == ']':
            return
        if buf[pos] == ',':
            pos += 1
            continue
        try:
            item, end = decoder.raw_decode(buf, pos)
        except json.JSONDecodeError as e:
            if eof:
                raise SystemExit('dropin-import: JSON error: %s' % e)
            fill()
            continue
        if end == len(buf) and not eof:
            # A number or literal cut by the end of the buffer would decode short: read on first.
            fill()
            continue
        pos = end
        yield item


def dumpdata_parts(text, rows):
    part, size = [], 2
    for item in json_array_items(text):
        encoded = json.dumps(item, ensure_ascii=False)
        if part and (len(part) >= rows or size + len(encoded) > MAX_PART_BYTES):
            yield len(part), ('[' + ','.join(part) + ']').encode('utf-8')
            part, size = [], 2
        part.append(encoded)
        size += len(encoded.encode('utf-8')) + 1
    if part:
        yield len(part), ('[' + ','.join(part) + ']').encode('utf-8')


def csv_parts(text, rows):
    reader = csv.reader(text)
    header = next(reader, None)
    if header is None:
        raise SystemExit('dropin-import: the CSV file is empty')
    part, size = [], 0

    def encode(records):
        out = io.StringIO()
        writer = csv.writer(out, lineterminator='\r\n')
        writer.writerow(header)
        writer.writerows(records)
        return out.getvalue().encode('utf-8')

    for record in reader:
        if not record:
            continue
        length = sum(len(field) + 3 for field in record)
        if part and (len(part) >= rows or size + length > MAX_PART_BYTES):
            yield len(part), encode(part)
            part, size = [], 0
        part.append(record)
        size += length
    if part:
        yield len(part), encode(part)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__)
    parser.add_argument('file', help='dumpdata JSON or CSV file ("-" for standard input)')
    parser.add_argument('--url', default='http://localhost:8080', help='Keycloak base URL (default %(default)s)')
    parser.add_argument('--realm', required=True, help='realm to import into')
    parser.add_argument('--format', choices=['dumpdata', 'csv'], help='default: csv for *.csv files, else dumpdata')
    parser.add_argument('--model', help='dumpdata: label of the user model (default auth.user)')
    parser.add_argument('--group-model', help='dumpdata: label of the group model (default auth.group)')
    parser.add_argument('--token-model', help='dumpdata: label of DRF\'s token model, whose keys are stored as hashes '
                                              '(default authtoken.token)')
    parser.add_argument('--dry-run', action='store_true', help='check every row as an import would, write nothing')
    parser.add_argument('--without-password', action='store_true',
                        help='import users whose password hash cannot be carried over without a password')
    parser.add_argument('--email-verified', choices=['true', 'false'],
                        help='whether addresses count as verified where the records have no verified flag')
    parser.add_argument('--staff-role', help='realm role for is_staff users (default: the realm\'s, else "staff"; '
                                             '"" for none)')
    parser.add_argument('--superuser-role', help='realm role for is_superuser users (default "superuser"; "" for none)')
    parser.add_argument('--field', action='append', default=[], metavar='PROPERTY=FIELD',
                        help='read a property from another field, e.g. phone=mobile (repeatable; FIELD empty: not at all)')
    parser.add_argument('--rows-per-request', type=int, default=5000, help='records per request (default %(default)s)')
    parser.add_argument('--batch-size', type=int, help='records per Keycloak transaction (default 100)')
    parser.add_argument('--report', help='write refused rows and warnings to this file, one JSON object per line')
    parser.add_argument('--admin-realm', default='master')
    parser.add_argument('--client-id', default='admin-cli')
    parser.add_argument('--client-secret', default=os.environ.get('KEYCLOAK_CLIENT_SECRET'))
    parser.add_argument('--user', default=os.environ.get('KEYCLOAK_ADMIN', 'admin'))
    parser.add_argument('--password', default=os.environ.get('KEYCLOAK_ADMIN_PASSWORD'))
    args = parser.parse_args()
    args.url = args.url.rstrip('/')
    fmt = args.format or ('csv' if args.file.lower().endswith('.csv') else 'dumpdata')

    params = {'format': fmt}
    for name, value in [('model', args.model), ('groupModel', args.group_model),
                        ('tokenModel', args.token_model), ('emailVerified', args.email_verified),
                        ('staffRole', args.staff_role), ('superuserRole', args.superuser_role),
                        ('batchSize', args.batch_size)]:
        if value is not None:
            params[name] = str(value)
    if args.dry_run:
        params['dryRun'] = 'true'
    if args.without_password:
        params['withoutPassword'] = 'true'
    for mapping in args.field:
        prop, sep, field = mapping.partition('=')
        if not sep:
            raise SystemExit('dropin-import: --field takes PROPERTY=FIELD, not %r' % mapping)
        params['field.' + prop.strip()] = field.strip()

    admin = Admin(args)
    endpoint = '%s/admin/realms/%s/dropin-import/users' % (args.url, urllib.parse.quote(args.realm))
    content_type = 'text/csv; charset=utf-8' if fmt == 'csv' else 'application/json'
    raw = sys.stdin.buffer if args.file == '-' else open(args.file, 'rb')
    total_bytes = None if args.file == '-' else os.path.getsize(args.file)
    text = io.TextIOWrapper(raw, encoding='utf-8', newline='' if fmt == 'csv' else None)
    report_file = open(args.report, 'w', encoding='utf-8') if args.report else None
    parts = csv_parts(text, args.rows_per_request) if fmt == 'csv' else dumpdata_parts(text, args.rows_per_request)

    totals = {key: 0 for key in COUNTS}
    roles, highest, first_row, started = set(), None, 1, time.time()
    log('%s %s into realm %s at %s%s' % ('checking' if args.dry_run else 'importing', args.file, args.realm, args.url,
                                          ' (dry run: nothing is written)' if args.dry_run else ''))
    try:
        for count, body in parts:
            query = dict(params, firstRow=str(first_row))
            try:
                answer = request(endpoint + '?' + urllib.parse.urlencode(query), body, content_type, admin.bearer())
                report = json.loads(answer)
            except HttpError as e:
                try:
                    report = json.loads(e.body)
                except ValueError:
                    raise SystemExit('dropin-import: %s' % e)
                if 'rows' not in report:
                    raise SystemExit('dropin-import: refused (HTTP %d): %s' % (e.status, report.get('error', e.body)))
            for key in COUNTS:
                totals[key] += report.get(key, 0)
            roles.update(report.get('rolesCreated', []))
            if report.get('highestLegacyId') is not None:
                highest = max(highest or 0, report['highestLegacyId'])
            for kind, entries in (('refused', report.get('refusals', [])), ('warning', report.get('warningDetails', []))):
                for entry in entries:
                    entry = dict(kind=kind, **entry)
                    log('row %s (legacy id %s, %s): %s %s' % (entry['row'], entry.get('legacyId'), entry.get('username'),
                                                              kind, entry.get('reason') or entry.get('warning')))
                    if report_file:
                        report_file.write(json.dumps(entry, ensure_ascii=False) + '\n')
            first_row += count
            elapsed = max(time.time() - started, 1e-6)
            done = ' (%d%%)' % (100 * raw.tell() // total_bytes) if total_bytes else ''
            log('%d records%s: %d created, %d updated, %d refused; %.0f users/s' % (
                totals['rows'], done, totals['created'], totals['updated'], totals['refused'],
                (totals['created'] + totals['updated']) / elapsed))
            if report.get('error'):
                raise SystemExit('dropin-import: stopped at row %d: %s' % (first_row, report['error']))
    finally:
        if report_file:
            report_file.close()
    elapsed = time.time() - started
    summary = dict(totals, dryRun=args.dry_run, rolesCreated=sorted(roles), highestLegacyId=highest,
                   seconds=round(elapsed, 1), usersPerSecond=round((totals['created'] + totals['updated']) / max(elapsed, 1e-6), 1))
    print(json.dumps(summary, indent=2))
    return 2 if totals['refused'] else 0


if __name__ == '__main__':
    sys.exit(main())
