#!/usr/bin/env python3
"""Validate the --json output of early-bind against its JSON Schema in
schema/ (list, check, status: the interface early-bind(8), section JSON
OUTPUT, documents), then what a schema cannot say: counts that must agree
with the items they count.

usage: check-json.py list|check|status FILE
Prints nothing and exits 0 when FILE is valid; otherwise prints each
problem and exits 1. Needs python3-jsonschema (tests/setup-debian.sh).
"""

import json
import os
import sys

SCHEMAS = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                       '..', '..', 'schema')


class Invalid(Exception):
    pass


def expect(cond, where, what):
    if not cond:
        raise Invalid('%s: %s' % (where, what))


def agree_list(doc):
    for i, card in enumerate(doc['cards']):
        addresses = {f['address'] for f in card['functions']}
        expect(set(card['outside_card']) <= addresses, 'list.cards[%d]' % i,
               'outside_card names functions the card does not list')


def agree_check(doc):
    for sev, key in (('ok', 'ok'), ('warn', 'warnings'), ('error', 'errors')):
        n = sum(1 for f in doc['findings'] if f['severity'] == sev)
        expect(n == doc[key], 'check.' + key, 'is %d, findings say %d'
               % (doc[key], n))


def agree_status(doc):
    boot = doc['boot']
    if boot is not None:
        n = sum(1 for f in boot['functions'] if f['changed'])
        expect(n == boot['changed'], 'status.boot.changed',
               'does not count the changed')


AGREE = {'list': agree_list, 'check': agree_check, 'status': agree_status}


def load_validator(kind):
    try:
        import jsonschema
    except ImportError:
        raise Invalid('python3-jsonschema is missing: run tests/setup-debian.sh '
                      '(or apt-get install python3-jsonschema)')
    with open(os.path.join(SCHEMAS, kind + '.schema.json'), encoding='utf-8') as f:
        schema = json.load(f)
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


def main(argv):
    if len(argv) != 3 or argv[1] not in AGREE:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    kind = argv[1]
    try:
        validator = load_validator(kind)
        with open(argv[2], encoding='utf-8') as f:
            doc = json.load(f)
        errors = sorted(validator.iter_errors(doc), key=lambda e: list(e.path))
        for e in errors:
            print('invalid %s JSON: %s: %s' % (
                kind, '.'.join(str(p) for p in e.absolute_path) or '(top)',
                e.message))
        if errors:
            return 1
        AGREE[kind](doc)
    except (ValueError, Invalid) as e:
        print('invalid %s JSON: %s' % (kind, e))
        return 1
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
