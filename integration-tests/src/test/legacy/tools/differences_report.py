"""The per-dialect tables of DIFFERENCES.md, from the reports of the last conformance run.

    python3 integration-tests/src/test/legacy/tools/differences_report.py integration-tests/target/conformance

Reads <dialect>-differences.json and <dialect>-claims.json (written by the *ConformanceIT classes) and
known-differences.json, and prints Markdown: for each dialect, every allow-list entry with the number of requests it
explained in that run (up to three of their labels), one example of both normalised answers, and the reason; then the
token claims both sides' tokens carried.
"""
import json
import os
import sys

DIALECTS = ['token-auth', 'phone-otp', 'email-signup', 'users-api', 'jwt-auth']
HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def cell(text, limit=220):
    text = ' '.join(str(text).split())
    if len(text) > limit:
        text = text[:limit] + '\u2026'
    return text.replace('|', '\\|')


def label(step):
    return step['label']


def main(run_dir):
    allow = json.load(open(os.path.join(HERE, 'known-differences.json'), encoding='utf-8'))
    out = []
    for dialect in DIALECTS:
        path = os.path.join(run_dir, dialect + '-differences.json')
        if not os.path.exists(path):
            continue
        differences = json.load(open(path, encoding='utf-8'))
        out.append('## ' + dialect + '\n')
        for section, title in (('pending', 'Dialect bugs still to fix (section `pending`)'),
                               ('known', 'Legitimate, known differences (section `known`)')):
            entries = [e for e in allow[section] if e['dialect'] == dialect]
            if not entries:
                continue
            out.append('### ' + title + '\n')
            out.append('| id | requests | reference answers | dialect answers | judgement |')
            out.append('|---|---|---|---|---|')
            for entry in entries:
                used = [d for d in differences if entry['id'] in d['explainedBy']]
                labels = '; '.join(cell(label(d), 90) for d in used[:3])
                more = ' (+%d more)' % (len(used) - 3) if len(used) > 3 else ''
                example = used[0] if used else {'reference': '', 'dialect': ''}
                name = entry['id'].split(':', 1)[1]
                out.append('| `%s` | %d: %s%s | %s | %s | %s |' % (name, len(used), labels, more,
                                                                  cell(example['reference']), cell(example['dialect']),
                                                                  cell(entry['reason'], 600)))
            out.append('')
        claims_path = os.path.join(run_dir, dialect + '-claims.json')
        claims = json.load(open(claims_path, encoding='utf-8')) if os.path.exists(claims_path) else {}
        kinds = {k: v for k, v in claims.items() if k != 'findings'}
        if kinds:
            out.append('### Token claims (name: JSON type)\n')
            out.append('| token | reference | dialect |')
            out.append('|---|---|---|')
            for kind, sides in kinds.items():
                out.append('| %s | %s | %s |' % (kind, ', '.join('`%s`: %s' % c for c in sides['reference'].items()),
                                                 ', '.join('`%s`: %s' % c for c in sides['dialect'].items())))
            out.append('')
    print('\n'.join(out))


if __name__ == '__main__':
    main(sys.argv[1] if len(sys.argv) > 1 else 'integration-tests/target/conformance')
