#!/usr/bin/env bash
# run-tests.sh: runs every test suite but the benchmarks, GUI ones on a private X
# server and D-Bus session, and ends with the line "N passed, N failed".
#
# SPDX-License-Identifier: GPL-3.0-or-later
set -uo pipefail

builddir=${1:-_build}
shift || true

# Accessibility is switched on inside the private session so that end-to-end tests
# can drive the real application through AT-SPI.
inner='gsettings set org.gnome.desktop.interface toolkit-accessibility true 2>/dev/null;
       meson test -C "$0" --no-suite bench --print-errorlogs --num-processes 2 --logbase make-test "$@"'

xvfb-run -a -s "-screen 0 1280x1024x24 -nolisten tcp" \
  dbus-run-session -- bash -c "$inner" "$builddir" "$@"
status=$?

/usr/bin/python3 "$(dirname "$0")/test-summary.py" "$builddir/meson-logs/make-test.json"
summary=$?

if [[ $status -ne 0 || $summary -ne 0 ]]; then
  exit 1
fi
