"""Test vectors for PythonJson (rest-endpoints): malformed and valid JSON documents with the error Python's json
module reports for each, as Django REST framework's JSONParser parses (rest_framework.utils.json: strict constants).

    /usr/bin/python3 integration-tests/src/test/legacy/tools/python_json_cases.py \
        > rest-endpoints/src/test/resources/python-json-cases.jsonl

One JSON object per line: {"input": <document>, "error": <str(ValueError)> or null}. The cases are the ones the
conformance corpus sends, hand-picked edge cases of every message, and mutations (a character deleted, inserted,
replaced, or the document cut) of valid documents, from a fixed seed so that the file is reproducible.
"""
import json
import random
import sys

from rest_framework.utils import json as drf_json

HAND_PICKED = [
    '', ' ', '\n\n', '{', '}', '[', ']', '{"a": }', "{'a': 'b'}", '{"a": "b",}', '{"a": "b"} {}', '[1,]', '[1 2]',
    '{"a" 1}', '{"a":1 "b":2}', '"abc', '"a\x01"', '"a\tb"', '"a\nb"', '"\\x"', '"\\u12"', '"\\u12zz"', '"\\u1234',
    '"\\ud83d\\ude00"', '"\\ud83d\\ude0"', '"\\ud83d\\u0041"', '"\\ud83d\\uzzzz"', '"\\ud83d\\ude00', '"\\ud800"',
    '\ufeff{}', 'nul', 'null', 'nulll', 'tru', 'true', 'fals', 'false', '-', '-a', '-0', '01', '1.', '1.5', '1e',
    '1e+', '1e5', '1E-5', '1.5e3x', 'NaN', 'Infinity', '-Infinity', '[1, NaN]', '[NaN, {]', '{"a": -Infinity}',
    'Nan', 'Infinit', '-Infinit', '{"a":\n\n  }', '"\\', '"ab\\', '[1,2', '{"a":1', '{"a"', '{"a":', 'x',
    '\u00e9', '"\u00e9\u00e9" x', '{"\U0001F600": 1 x', '["\U0001F600", \U0001F600]', '\r\n{\r\n"a" 1}', '\t[\t1\t,]',
    '{"a": [1, 2, {"b": }]}', '[[[[[', ']]]]', '{"a": "b"', '{"a": "b" "c": "d"}', '{"a": "b",,}', '{,}', '[,]',
    '[1,,2]', '{"a" : 1 , }', '"abc"def', '123abc', '12 34', 'true false', '{"a": tru}', '{"a": nul}', '{"a": t}',
    '1' * 4300, '1' * 4301, '-' + '1' * 4301, '1.' + '1' * 4400, '[' + '1' * 4301 + ', {]', '{"x": 1}\n\n x',
    '"\\/\\b\\f\\n\\r\\t\\"\\\\"', '"\\a"', '"\\U0041"', '"\x7f"', '"\x1f"', '"\x00"', '{"a\x00": 1}',
]

SEEDS = [
    '{"username": "alice", "password": "correct horse 42"}',
    '{"email": "a@example.org", "terms_accepted": true, "n": -12.5e3}',
    '[1, 2.5, -3e-2, true, false, null, "x\\u00e9\\n", {"k": []}]',
    '{"a": {"b": [{"c": "d\\"e"}, 0]}, "f": ""}',
    '{"token": "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln", "\u00e9": "\U0001F600"}',
    '\n{\n  "code": 12345,\n  "phone": "+4915112345678"\n}\n',
]

ALPHABET = list('{}[]:,"\\ \n\t-+.0123456789eEntrufalsNIy') + ['\x01', '\u00e9', '\U0001F600', "'", 'u', '/']


def error(document):
    try:
        drf_json.loads(document)
        return None
    except ValueError as e:
        return str(e)


def mutations(rng, count):
    for _ in range(count):
        doc = rng.choice(SEEDS)
        for _ in range(rng.randint(1, 3)):
            kind = rng.randrange(4)
            at = rng.randrange(len(doc) + 1)
            if kind == 0 and doc:
                at = min(at, len(doc) - 1)
                doc = doc[:at] + doc[at + 1:]
            elif kind == 1:
                doc = doc[:at] + rng.choice(ALPHABET) + doc[at:]
            elif kind == 2 and doc:
                at = min(at, len(doc) - 1)
                doc = doc[:at] + rng.choice(ALPHABET) + doc[at + 1:]
            else:
                doc = doc[:at]
        yield doc


def main():
    rng = random.Random(17)
    seen = set()
    for document in HAND_PICKED + SEEDS + list(mutations(rng, 1500)):
        if document in seen:
            continue
        seen.add(document)
        sys.stdout.write(json.dumps({'input': document, 'error': error(document)}) + '\n')


if __name__ == '__main__':
    main()
