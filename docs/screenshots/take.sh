#!/bin/sh
# take.sh: retakes the screenshots the metainfo and the README show.
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: docs/screenshots/take.sh [BUILDDIR]   (from the top of the source tree)
# Needs xvfb-run, dbus-run-session, ImageMagick's import and python3-dogtail; the
# Chinese one needs a zh_CN.UTF-8 locale (LOCPATH is honoured).
set -eu

builddir=${1:-_build}
out=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

"$builddir/src/cli/dossier-cli" --db "$work/demo.db" demo >/dev/null
# Stores the rule-check results, so that the list shows its problem marker (the
# command exits non-zero when a check finds errors, as it does here).
"$builddir/src/cli/dossier-cli" --db "$work/demo.db" check >/dev/null 2>&1 || true

# One screenshot: the window at its default size on a screen of the same size,
# with the dossier that has a problem selected.
shoot () {
  name=$1; shift
  env "$@" GSETTINGS_BACKEND=memory GSETTINGS_SCHEMA_DIR="$builddir/resources" \
    DOSSIER_LOCALEDIR="$builddir/po" \
    xvfb-run -a -s "-screen 0 1180x760x24" dbus-run-session -- sh -c '
      gsettings set org.gnome.desktop.interface toolkit-accessibility true 2>/dev/null
      "$0/src/gui/dossier" --db "$1/demo.db" & pid=$!
      sleep 4
      /usr/bin/python3 -c "
import time
from dogtail import rawinput
rawinput.click(180, 430)
time.sleep(1.5)
"
      import -window root "$2"
      kill $pid' "$builddir" "$work" "$out/$name.png"
}

shoot main-window LANG=C.UTF-8 LC_ALL=C.UTF-8
shoot main-window-dark LANG=C.UTF-8 LC_ALL=C.UTF-8 ADW_DEBUG_COLOR_SCHEME=prefer-dark
shoot main-window-zh-cn LANG=zh_CN.UTF-8 LC_ALL=zh_CN.UTF-8
