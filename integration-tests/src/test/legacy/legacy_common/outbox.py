"""The messages a reference backend "sends".

The originals sent SMS and emails; the references append one JSON line per message to the file named by
LEGACY_OUTBOX (default ``outbox.jsonl``), which the tests read (LegacyBackend.awaitMessage). Nothing leaves the machine.
"""
import json
import os
import time


def send(channel, to, purpose, code, text):
    line = json.dumps({'channel': channel, 'to': to, 'purpose': purpose, 'code': code, 'text': text,
                       'at': time.time()}, ensure_ascii=False)
    with open(os.environ.get('LEGACY_OUTBOX', 'outbox.jsonl'), 'a', encoding='utf-8') as out:
        out.write(line + '\n')
        out.flush()
