#!/usr/bin/env python3
"""The IOMMU group verdict of `early-bind check --json` on one slot.
usage: check-verdict.py FILE SLOT   (SLOT: DDDD:BB:SS)
Prints "viable" when check's "group" findings on SLOT hold no error (a
warning does not stop VFIO from opening the group), "not-viable" when one
is an error, "none" when check said nothing about SLOT's group (or FILE is
no JSON).  The nested-vm boot scenario compares it with QEMU's outcome.
"""
import json
import sys


def verdict(doc, slot):
    sevs = [f['severity'] for f in doc.get('findings', [])
            if f.get('check') == 'group' and f.get('subject') == slot]
    if not sevs:
        return 'none'
    return 'not-viable' if 'error' in sevs else 'viable'


def main():
    try:
        with open(sys.argv[1], encoding='utf-8') as f:
            doc = json.load(f)
    except (OSError, ValueError):
        print('none')
        return
    print(verdict(doc, sys.argv[2]))


main()
