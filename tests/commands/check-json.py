#!/usr/bin/env python3
"""Validate the --json output of early-bind against the schema of
early-bind(8), section JSON OUTPUT, with Python's own JSON parser.

usage: check-json.py list|check|status FILE
Prints nothing and exits 0 when FILE is valid; otherwise prints each
problem and exits 1.
"""

import json
import re
import sys

HEX4 = re.compile(r'^[0-9a-f]{4}$')
ADDRESS = re.compile(r'^[0-9a-f]{4,8}:[0-9a-f]{2}:[0-1][0-9a-f]\.[0-7]$')
SLOT = re.compile(r'^[0-9a-f]{4,8}:[0-9a-f]{2}:[0-1][0-9a-f]$')
CHECKS = {'pci', 'cpu', 'iommu', 'secureboot', 'parameter', 'ids', 'entry',
          'initramfs', 'card', 'group', 'display', 'framebuffer', 'reset',
          'interrupts', 'kvm', 'vfio', 'bar', 'gpu-driver',
          'driver', 'sriov'}
OUTCOMES = {'bound', 'already', 'failed', 'planned', 'not-attempted'}
STEPS = {'identity', 'driver_override', 'unbind', 'clear_override',
         'drivers_probe'}


class Invalid(Exception):
    pass


def expect(cond, where, what):
    if not cond:
        raise Invalid('%s: %s' % (where, what))


def members(obj, where, spec):
    """SPEC maps each member to a checker (value, where); no other member
    may appear: the schema says later versions only add members, and the
    tests pin this version."""
    expect(isinstance(obj, dict), where, 'not an object')
    expect(set(obj) == set(spec), where,
           'members %s, expected %s' % (sorted(obj), sorted(spec)))
    for key, check in spec.items():
        check(obj[key], '%s.%s' % (where, key))


def string(v, where):
    expect(isinstance(v, str), where, 'not a string')


def string_or_null(v, where):
    expect(v is None or isinstance(v, str), where, 'not a string or null')


def boolean(v, where):
    expect(isinstance(v, bool), where, 'not a boolean')


def count(v, where):
    expect(isinstance(v, int) and not isinstance(v, bool) and v >= 0, where,
           'not a count')


def matches(pattern):
    def check(v, where):
        expect(isinstance(v, str) and pattern.match(v), where,
               'does not match %s' % pattern.pattern)
    return check


def one_of(values):
    def check(v, where):
        expect(v in values, where, '%r not one of %s' % (v, sorted(values)))
    return check


def array_of(check):
    def run(v, where):
        expect(isinstance(v, list), where, 'not an array')
        for i, item in enumerate(v):
            check(item, '%s[%d]' % (where, i))
    return run


def version(v, where):
    expect(v == 1, where, 'version is not 1')


def group_or_null(v, where):
    expect(v is None or (isinstance(v, int) and not isinstance(v, bool)
                         and v >= 0), where, 'not a group number or null')


def function(v, where):
    members(v, where, {
        'address': matches(ADDRESS), 'vendor_id': matches(HEX4),
        'device_id': matches(HEX4), 'class_id': matches(HEX4),
        'vendor': string_or_null, 'device': string_or_null,
        'class': string_or_null, 'driver': string_or_null,
        'iommu_group': group_or_null, 'boot_vga': boolean, 'bridge': boolean,
    })


def card(v, where):
    members(v, where, {
        'slot': matches(SLOT), 'boot_display': boolean,
        'vfio_devices': string_or_null, 'vfio_devices_path': string_or_null,
        'vfio_devices_refused': string_or_null,
        'group_not_viable': string_or_null,
        'functions': array_of(function),
        'outside_card': array_of(matches(ADDRESS)),
        'iommu_groups': array_of(lambda g, w: members(g, w, {
            'group': count, 'others': array_of(function)})),
        'own_switch': lambda s, w: s is None or members(s, w, {
            'upstream_port': matches(ADDRESS),
            'downstream_ports': array_of(matches(ADDRESS))}),
    })
    expect((v['vfio_devices'] is None) != (v['vfio_devices_refused'] is None),
           where, 'exactly one of vfio_devices and vfio_devices_refused')
    expect(v['vfio_devices'] is not None or v['vfio_devices_path'] is None,
           where, 'vfio_devices_path without vfio_devices')
    addresses = {f['address'] for f in v['functions']}
    expect(set(v['outside_card']) <= addresses, where,
           'outside_card names functions the card does not list')


def check_list(doc):
    members(doc, 'list', {'version': version, 'names': boolean,
                          'cards': array_of(card)})


def finding(v, where):
    members(v, where, {
        'severity': one_of({'ok', 'warn', 'error'}), 'check': one_of(CHECKS),
        'subject': lambda s, w: s is None or matches(SLOT)(s, w),
        'message': string, 'fix': string_or_null,
    })


def check_check(doc):
    members(doc, 'check', {'version': version, 'ok': count, 'warnings': count,
                           'errors': count, 'findings': array_of(finding)})
    for sev, key in (('ok', 'ok'), ('warn', 'warnings'), ('error', 'errors')):
        n = sum(1 for f in doc['findings'] if f['severity'] == sev)
        expect(n == doc[key], 'check.' + key, 'is %d, findings say %d'
               % (doc[key], n))


def state_function(v, where):
    members(v, where, {
        'address': matches(ADDRESS), 'vendor_id': matches(HEX4),
        'device_id': matches(HEX4), 'class_id': matches(HEX4),
        'before': string_or_null, 'after': string_or_null,
        'outcome': one_of(OUTCOMES), 'present': boolean, 'now': string_or_null,
        'changed': boolean, 'now_ids': now_ids, 'ids_changed': boolean,
        'steps': array_of(lambda st, w: members(st, w, {
            'step': one_of(STEPS), 'error': string_or_null})),
        'override_left': boolean,
        'vfio_device': lambda v, w: v is None or expect(
            isinstance(v, str) and re.fullmatch(r'/dev/vfio/devices/vfio[0-9]+', v),
            w, 'is not a VFIO device file'),
    })


def now_ids(v, where):
    if v is not None:
        members(v, where, {'vendor_id': matches(HEX4),
                           'device_id': matches(HEX4), 'class_id': matches(HEX4)})


def ids(v, where):
    if v is None:
        return
    members(v, where, {'source': string, 'value': string,
                       'taken': array_of(matches(ADDRESS))})


def boot(v, where):
    if v is None:
        return
    members(v, where, {
        'requested': string, 'iommu': boolean,
        'result': one_of({'ok', 'failed'}),
        'entries': array_of(lambda e, w: members(e, w, {
            'text': string, 'accepted': boolean, 'error': string_or_null})),
        'functions': array_of(state_function), 'changed': count, 'ids': ids,
        'moved_on': string_or_null,
    })
    n = sum(1 for f in v['functions'] if f['changed'])
    expect(n == v['changed'], where + '.changed', 'does not count the changed')


def check_status(doc):
    members(doc, 'status', {'version': version, 'state_file': string,
                            'parameter': string_or_null,
                            'stuck_at': string_or_null, 'boot': boot})


def main(argv):
    kinds = {'list': check_list, 'check': check_check, 'status': check_status}
    if len(argv) != 3 or argv[1] not in kinds:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    try:
        with open(argv[2], encoding='utf-8') as f:
            doc = json.load(f)
        kinds[argv[1]](doc)
    except (ValueError, Invalid) as e:
        print('invalid %s JSON: %s' % (argv[1], e))
        return 1
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
