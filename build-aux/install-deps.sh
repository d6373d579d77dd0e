#!/usr/bin/env bash
# install-deps.sh: installs the Debian 12 packages Dossier needs, only those missing.
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: build-aux/install-deps.sh run|test
#   run   what building and running the application needs
#   test  that, plus what the test suites need (Xvfb, accessibility, tools)
set -euo pipefail

build_packages=(
  build-essential meson ninja-build pkg-config gettext
  libglib2.0-dev libglib2.0-bin libgtk-4-dev libadwaita-1-dev
  libsqlite3-dev libxml2-dev libjson-glib-dev libsodium-dev libzip-dev libpoppler-glib-dev
  desktop-file-utils appstream
  fonts-noto-cjk fonts-cantarell adwaita-icon-theme
)

test_packages=(
  sqlite3 libxml2-utils
  xvfb xauth dbus dbus-x11 at-spi2-core
  python3 python3-dogtail python3-gi gir1.2-atspi-2.0
  gsettings-desktop-schemas imagemagick valgrind locales
  # build-aux/run-fuzz.sh: clang, libFuzzer (libclang-rt-14-dev), llvm-symbolizer (llvm)
  clang libclang-rt-14-dev llvm
)

case "${1:-run}" in
  run) wanted=("${build_packages[@]}") ;;
  test) wanted=("${build_packages[@]}" "${test_packages[@]}") ;;
  *) echo "usage: $0 run|test" >&2; exit 2 ;;
esac

sudo=()
if [[ $(id -u) -ne 0 ]]; then
  sudo=(sudo)
fi

# The tests and screenshots run the application in Chinese and English.
ensure_locales() {
  local have
  have=$(locale -a 2>/dev/null | tr 'A-Z' 'a-z')
  for l in zh_CN.UTF-8 en_US.UTF-8; do
    if ! grep -qx "$(echo "${l/UTF-8/utf8}" | tr 'A-Z' 'a-z')" <<<"$have"; then
      echo "Generating the $l locale"
      "${sudo[@]}" localedef -i "${l%%.*}" -f UTF-8 "$l" || true
    fi
  done
}

missing=()
for p in "${wanted[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$p")
done

if [[ ${#missing[@]} -gt 0 ]]; then
  echo "Installing missing packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  "${sudo[@]}" apt-get update -q
  "${sudo[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

if [[ "${1:-run}" == test ]]; then
  ensure_locales
fi
