#!/bin/sh
# take.sh: retakes the screenshots the README and the metainfo show.
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: docs/screenshots/take.sh [BUILDDIR]   (from the top of the source tree)
# Needs xvfb-run, dbus-run-session, ImageMagick's import, python3-dogtail and the
# zh_CN.UTF-8 locale (make test generates it).  The screenshots show the window, not
# the sign-in page, so it is bypassed with DOSSIER_NO_LOGIN, as in the widget tests.
set -eu

builddir=$(cd "${1:-_build}" && pwd)
out=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

"$builddir/src/cli/dossier-cli" --db "$work/demo.db" demo >/dev/null
# Stores the check results, so that the list shows its problem marker (the command
# exits 1 because one demo unit is outside its registered size range).
"$builddir/src/cli/dossier-cli" --db "$work/demo.db" check >/dev/null 2>&1 || true

# shoot NAME LOCALE [ENV…]: the window with the out-of-range unit selected, on its
# Order page (NAME.png) and its Design page (NAME-design.png).
shoot () {
  name=$1; locale=$2; shift 2
  env "$@" LANG="$locale" LC_ALL="$locale" LANGUAGE= GSETTINGS_BACKEND=memory \
    GSETTINGS_SCHEMA_DIR="$builddir/resources" DOSSIER_LOCALEDIR="$builddir/po" \
    DOSSIER_NO_LOGIN=1 GTK_A11Y=atspi \
    xvfb-run -a -s "-screen 0 1280x800x24" dbus-run-session -- sh -c '
      gsettings set org.gnome.desktop.interface toolkit-accessibility true 2>/dev/null
      "$0/src/gui/dossier" --db "$1/demo.db" & pid=$!
      sleep 5
      /usr/bin/python3 -c "import time; from dogtail import rawinput; rawinput.click(180, 440); time.sleep(2)"
      import -window root "$2.png"
      /usr/bin/python3 -c "import time; from dogtail import rawinput; rawinput.keyCombo(\"<Alt>2\"); time.sleep(2)"
      import -window root "$2-design.png"
      kill $pid' "$builddir" "$work" "$out/$name"
}

shoot main-window C.UTF-8
shoot main-window-zh-cn zh_CN.UTF-8
shoot main-window-dark C.UTF-8 ADW_DEBUG_COLOR_SCHEME=prefer-dark

mv "$out/main-window-design.png" "$out/editor-design.png"
mv "$out/main-window-zh-cn-design.png" "$out/editor-design-zh-cn.png"
rm -f "$out/main-window-dark-design.png"
