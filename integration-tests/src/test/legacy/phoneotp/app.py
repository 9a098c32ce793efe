"""Seed 001 on Flask 2.2.

What comes from the framework as it is: routing with strict trailing slashes (a seed path without its slash is
redirected, 308), Flask's own 404/405 pages and Allow headers, automatic OPTIONS, ``request.is_json`` for the
seed's JSON-only rule, and ``request.get_json()``, whose 400 page for a malformed body is Werkzeug's. A JSON body
that is not an object is not guarded against (the views call ``data.get``), as in a straightforward original.

What the seed leaves open and the reference takes from the pack, so that the comparison is about behaviour rather
than wording nobody can know: the missing-parameter, invalid-phone, invalid-code and invalid-token messages, numbers
taken as their text, blank values taken as missing, and 6-digit codes. Codes live 5 minutes (the seed); one pending login per user for 5 minutes (the seed, 429).

Tokens: flask-jwt-extended's claims in its order (fresh, iat, jti, type, sub, nbf, exp), HS256, ``sub`` the user's
public id; the lifetimes of the seed's sample tokens (access 15 days, refresh 16 days).
"""
import csv
import datetime
import re
import secrets
import sys
import time
import uuid
from functools import wraps

import jwt
from flask import Flask, g, jsonify, request

from legacy_common import database, outbox

app = Flask(__name__)
app.config['SECRET_KEY'] = 'reference-backend-test-only-not-a-secret'
app.config['JWT_SECRET_KEY'] = 'reference-backend-test-only-jwt-secret'
ACCESS_LIFETIME = datetime.timedelta(days=15)
REFRESH_LIFETIME = datetime.timedelta(days=16)
CODE_LIFETIME = 300
E164 = re.compile(r'^\+[1-9]\d{6,14}$')

SCHEMA = {
    'sqlite': [
        'CREATE TABLE IF NOT EXISTS users (id INTEGER PRIMARY KEY AUTOINCREMENT, public_id TEXT UNIQUE NOT NULL, '
        'phone TEXT UNIQUE NOT NULL, verified INTEGER NOT NULL DEFAULT 0, created_at TEXT NOT NULL)',
        'CREATE TABLE IF NOT EXISTS registrations (token TEXT PRIMARY KEY, user_id INTEGER NOT NULL, '
        'code TEXT NOT NULL, created REAL NOT NULL)',
        'CREATE TABLE IF NOT EXISTS logins (user_id INTEGER PRIMARY KEY, code TEXT NOT NULL, created REAL NOT NULL)',
    ],
    'postgres': [
        'CREATE TABLE IF NOT EXISTS users (id SERIAL PRIMARY KEY, public_id TEXT UNIQUE NOT NULL, '
        'phone TEXT UNIQUE NOT NULL, verified BOOLEAN NOT NULL DEFAULT FALSE, created_at TEXT NOT NULL)',
        'CREATE TABLE IF NOT EXISTS registrations (token TEXT PRIMARY KEY, user_id INTEGER NOT NULL, '
        'code TEXT NOT NULL, created DOUBLE PRECISION NOT NULL)',
        'CREATE TABLE IF NOT EXISTS logins (user_id INTEGER PRIMARY KEY, code TEXT NOT NULL, '
        'created DOUBLE PRECISION NOT NULL)',
    ],
}


class Db:
    """A DB-API connection with one placeholder style (``?``) for SQLite and PostgreSQL."""

    def __init__(self):
        self.conn = database.connect()
        self.postgres = database.is_postgres()

    def run(self, sql, *params):
        cur = self.conn.cursor()
        cur.execute(sql.replace('?', '%s') if self.postgres else sql, params)
        return cur

    def one(self, sql, *params):
        return self.run(sql, *params).fetchone()

    def commit(self):
        self.conn.commit()

    def close(self):
        self.conn.close()


def db():
    if 'db' not in g:
        g.db = Db()
    return g.db


@app.teardown_appcontext
def close_db(exc):
    conn = g.pop('db', None)
    if conn is not None:
        if exc is None:
            conn.commit()
        conn.close()


def create_schema():
    conn = Db()
    for statement in SCHEMA['postgres' if conn.postgres else 'sqlite']:
        conn.run(statement)
    conn.commit()
    conn.close()


def json_only(view):
    @wraps(view)
    def wrapper(*args, **kwargs):
        if not request.is_json:
            return jsonify({'error': 'Only JSON requests are accepted'}), 400
        return view(*args, **kwargs)
    return wrapper


def error(message, status=400):
    return jsonify({'error': message}), status


def params(data, *names):
    """The named parameters as strings, or an error answer: missing (absent, null, empty or only spaces) first, then
    wrong types. Numbers count as their text (a code or a number typed as a JSON number)."""
    values, missing = [], []
    for name in names:
        value = data.get(name)
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            value = str(value)
        if value is None or isinstance(value, str) and not value.strip():
            missing.append(name)
        values.append(value)
    if missing:
        return None, error('Missing parameter%s: %s' % ('s' if len(missing) > 1 else '', ', '.join(missing)))
    for name, value in zip(names, values):
        if not isinstance(value, str):
            return None, error('Invalid %s: Not a valid string.' % name)
    return [v.strip() for v in values], None


def new_code():
    return '%06d' % secrets.randbelow(1000000)


def same_code(expected, given):
    # A code sent as a JSON number loses its leading zeros.
    return secrets.compare_digest(expected.lstrip('0'), given.lstrip('0'))


def token(public_id, token_type, lifetime):
    now = datetime.datetime.now(datetime.timezone.utc)
    claims = {'fresh': False, 'iat': now, 'jti': str(uuid.uuid4()), 'type': token_type, 'sub': public_id,
              'nbf': now, 'exp': now + lifetime}
    return jwt.encode(claims, app.config['JWT_SECRET_KEY'], algorithm='HS256')


@app.route('/auth/api/Register/', methods=['POST'])
@json_only
def register():
    data = request.get_json()
    values, problem = params(data, 'phonenumber')
    if problem:
        return problem
    phone = values[0]
    if not E164.match(phone):
        return error('Invalid phone number')
    if db().one('SELECT id FROM users WHERE phone = ?', phone):
        return error('Account already Exists', 409)
    public_id = str(uuid.uuid4())
    db().run('INSERT INTO users (public_id, phone, verified, created_at) VALUES (?, ?, ?, ?)', public_id, phone,
             False, datetime.datetime.now(datetime.timezone.utc).isoformat())
    user_id = db().one('SELECT id FROM users WHERE public_id = ?', public_id)[0]
    registration, code = str(uuid.uuid4()), new_code()
    db().run('INSERT INTO registrations (token, user_id, code, created) VALUES (?, ?, ?, ?)', registration, user_id,
             code, time.time())
    outbox.send('sms', phone, 'registration', code, 'Your verification code is %s' % code)
    return jsonify({'message': 'User Created Successfully', 'phone': phone, 'token': registration})


@app.route('/auth/api/verify/', methods=['POST'])
@json_only
def verify():
    data = request.get_json()
    values, problem = params(data, 'code', 'token', 'phone')
    if problem:
        return problem
    code, registration, phone = values
    if not E164.match(phone):
        return error('Invalid phone number')
    row = db().one('SELECT r.user_id, r.code, r.created, u.phone FROM registrations r JOIN users u ON u.id = r.user_id '
                   'WHERE r.token = ?', registration)
    if row is None or row[3] != phone:
        return error('Invalid token')
    if time.time() - row[2] > CODE_LIFETIME or not same_code(row[1], code):
        return error('Invalid code')
    db().run('UPDATE users SET verified = ? WHERE id = ?', True, row[0])
    db().run('DELETE FROM registrations WHERE token = ?', registration)
    return jsonify({'message': 'User verify Successfully!'})


@app.route('/auth/api/login/', methods=['POST'])
@json_only
def login():
    data = request.get_json()
    values, problem = params(data, 'phone')
    if problem:
        return problem
    phone = values[0]
    if not E164.match(phone):
        return error('Invalid phone number')
    user = db().one('SELECT id, public_id FROM users WHERE phone = ?', phone)
    if user is None:
        return error('User does not exist', 404)
    pending = db().one('SELECT created FROM logins WHERE user_id = ?', user[0])
    if pending is not None and time.time() - pending[0] < CODE_LIFETIME:
        return jsonify({'message': 'User already have a request for login'}), 429
    code = new_code()
    db().run('DELETE FROM logins WHERE user_id = ?', user[0])
    db().run('INSERT INTO logins (user_id, code, created) VALUES (?, ?, ?)', user[0], code, time.time())
    outbox.send('sms', phone, 'login', code, 'Your login code is %s' % code)
    return jsonify({'expire_time': str(CODE_LIFETIME), 'message': 'Code Send to user', 'user_id': user[1]})


@app.route('/auth/api/login/verify/', methods=['POST'])
@json_only
def login_verify():
    data = request.get_json()
    values, problem = params(data, 'code', 'user_id')
    if problem:
        return problem
    code, public_id = values
    row = db().one('SELECT u.id, l.code, l.created FROM users u JOIN logins l ON l.user_id = u.id '
                   'WHERE u.public_id = ?', public_id)
    if row is None or time.time() - row[2] > CODE_LIFETIME:
        return error('login first')
    if not same_code(row[1], code):
        return error('Invalid code')
    db().run('DELETE FROM logins WHERE user_id = ?', row[0])
    db().run('UPDATE users SET verified = ? WHERE id = ?', True, row[0])
    return jsonify({'access_token': token(public_id, 'access', ACCESS_LIFETIME),
                    'refresh_token': token(public_id, 'refresh', REFRESH_LIFETIME)})


def manage(argv):
    """``migrate``; ``shell -c CODE`` (with app, db, jwt in scope); ``dumpcsv`` (the users, as CSV on stdout)."""
    if argv == ['migrate']:
        create_schema()
    elif len(argv) == 3 and argv[:2] == ['shell', '-c']:
        create_schema()
        with app.app_context():
            exec(argv[2], {'app': app, 'db': db(), 'jwt': jwt, 'token': token, 'new_code': new_code})
            db().commit()
    elif argv == ['dumpcsv']:
        create_schema()
        conn = Db()
        out = csv.writer(sys.stdout)
        out.writerow(['id', 'public_id', 'phone_number', 'phone_verified', 'date_joined'])
        for row in conn.run('SELECT id, public_id, phone, verified, created_at FROM users ORDER BY id'):
            out.writerow([row[0], row[1], row[2], 'true' if row[3] else 'false', row[4]])
        conn.close()
    else:
        raise SystemExit('phone-otp: unknown command %r (migrate, shell -c CODE, dumpcsv)' % ' '.join(argv))
