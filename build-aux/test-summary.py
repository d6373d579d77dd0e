#!/usr/bin/python3
# test-summary.py: counts test cases in meson's testlog.json and prints
# "N passed, N failed, N skipped".
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# A TAP test program counts each of its "ok"/"not ok" lines; any other test counts
# once.  A TAP program that crashed before printing its plan counts as one failure
# more, so that a crash is never hidden by the cases that ran before it.
import json
import re
import sys

passed = failed = skipped = 0
failures = []

try:
    log = open(sys.argv[1], encoding='utf-8')
except OSError as e:
    # The build or meson itself failed before any test ran.
    print('FAILED: no test log (%s)' % e)
    print('0 passed, 1 failed, 0 skipped')
    sys.exit(1)

with log:
    for line in log:
        test = json.loads(line)
        result = test.get('result')
        out = test.get('stdout') or ''
        cases = re.findall(r'^(ok|not ok)\b[^\n]*', out, re.M)
        if test.get('protocol') == 'tap' or (cases and re.search(r'^1\.\.\d+', out, re.M)):
            for m in re.finditer(r'^(ok|not ok)\b([^\n]*)', out, re.M):
                status, rest = m.group(1), m.group(2)
                if re.search(r'#\s*(SKIP|skip)', rest):
                    skipped += 1
                elif status == 'ok' or re.search(r'#\s*TODO', rest):
                    passed += 1
                else:
                    failed += 1
                    failures.append(test['name'] + rest)
            if result not in ('OK', 'SKIP', 'EXPECTEDFAIL') and not any(
                    f.startswith(test['name']) for f in failures):
                failed += 1
                failures.append('%s (%s)' % (test['name'], result))
            if not cases and result == 'SKIP':
                skipped += 1
        elif result in ('OK', 'EXPECTEDFAIL'):
            passed += 1
        elif result == 'SKIP':
            skipped += 1
        else:
            failed += 1
            failures.append('%s (%s)' % (test['name'], result))

for f in failures:
    print('FAILED: ' + f.strip())
print('%d passed, %d failed, %d skipped' % (passed, failed, skipped))
sys.exit(1 if failed else 0)
