#!/usr/bin/env python3
"""Check what node_exporter's textfile collector serves of early-bind's
textfile, and early-bind's OpenMetrics, against `status --json` of the
same tree: one series per requested function, the boot's result and the
binder's time, each as the JSON says.

usage: check-scrape.py URL OPENMETRICS_FILE STATUS_JSON SUCCESS
  URL: node_exporter's /metrics; SUCCESS: 1 or 0, what the scenario's boot
  must show. Prints each problem and exits 1, or prints a summary.
"""

import json
import re
import sys
import urllib.request

try:
    from prometheus_client.openmetrics.parser import \
        text_string_to_metric_families as openmetrics_families
    from prometheus_client.parser import \
        text_string_to_metric_families as text_families
except ImportError:
    print('python3-prometheus-client is missing: run tests/setup-debian.sh '
          '(or apt-get install python3-prometheus-client)')
    sys.exit(1)

problems = []


def expect(cond, what):
    if not cond:
        problems.append(what)


def samples(families):
    """{(name, frozenset(labels)): value} of every early_bind_ sample, and
    node_exporter's own textfile samples by name."""
    out = {}
    for family in families:
        for s in family.samples:
            out[(s.name, frozenset(s.labels.items()))] = s.value
    return out


def value(got, name, **labels):
    return got.get((name, frozenset(labels.items())))


def expected_success(doc):
    boot = doc['boot']
    if boot is None:
        return int(doc['parameter'] is None and doc['stuck_at'] is None)
    return int(boot['result'] == 'ok')


def label(driver):
    """A driver name as a label value: JSON keeps control characters
    (escaped), the metrics give U+FFFD for those but the line feed."""
    return re.sub('[\x00-\x09\x0b-\x1f\x7f]', '\ufffd', driver or '')


def check_series(got, doc, source):
    boot = doc['boot']
    expect(value(got, 'early_bind_boot_success') == expected_success(doc),
           '%s: early_bind_boot_success is %r, status --json says %d'
           % (source, value(got, 'early_bind_boot_success'), expected_success(doc)))
    expect(value(got, 'early_bind_boot_recorded') == int(boot is not None),
           '%s: early_bind_boot_recorded' % source)
    if boot is None:
        return
    refused = sum(1 for e in boot['entries'] if not e['accepted'])
    expect(value(got, 'early_bind_boot_refused_entries') == refused,
           '%s: early_bind_boot_refused_entries is not %d' % (source, refused))
    seconds = value(got, 'early_bind_boot_duration_seconds')
    expect(seconds is not None and abs(seconds - boot['elapsed_seconds']) < 1e-6
           and 0 < seconds < 15,
           '%s: early_bind_boot_duration_seconds is %r, the state says %r'
           % (source, seconds, boot['elapsed_seconds']))
    names = {k[0] for k in got if k[0].startswith('early_bind_function_')}
    for name in names:
        n = sum(1 for k in got if k[0] == name)
        expect(n == len(boot['functions']), '%s: %d %s series for %d functions'
               % (source, n, name, len(boot['functions'])))
    for f in boot['functions']:
        a = f['address']
        info = value(got, 'early_bind_function_info', function=a,
                     vendor_id=f['vendor_id'], device_id=f['device_id'],
                     class_id=f['class_id'], outcome=f['outcome'],
                     driver=label(f['now']))
        expect(info == 1, '%s: no early_bind_function_info for %s with driver %r'
               % (source, a, f['now']))
        bound = int(f['present'] and f['now'] == 'vfio-pci')
        expect(value(got, 'early_bind_function_bound', function=a) == bound,
               '%s: early_bind_function_bound of %s is not %d' % (source, a, bound))
        expect(value(got, 'early_bind_function_changed', function=a) == int(f['changed']),
               '%s: early_bind_function_changed of %s' % (source, a))


def main(argv):
    if len(argv) != 5:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    url, om_file, json_file, success = argv[1:]
    with open(json_file, encoding='utf-8') as f:
        doc = json.load(f)
    expect(expected_success(doc) == int(success),
           'the scenario\'s boot shows success %d, not %s' % (expected_success(doc), success))
    with urllib.request.urlopen(url, timeout=10) as r:
        scraped = r.read().decode('utf-8')
    served = samples(text_families(scraped))
    expect(value(served, 'node_textfile_scrape_error') == 0,
           'node_exporter could not read the textfile (node_textfile_scrape_error is %r)'
           % value(served, 'node_textfile_scrape_error'))
    check_series(served, doc, 'node_exporter')
    with open(om_file, encoding='utf-8') as f:
        try:
            check_series(samples(openmetrics_families(f.read())), doc, 'openmetrics')
        except ValueError as e:
            problems.append('openmetrics: not OpenMetrics: %s' % e)
    for p in problems:
        print(p)
    if problems:
        return 1
    n = sum(1 for k in served if k[0].startswith('early_bind_'))
    print('%d early_bind series served, as status --json says' % n)
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
