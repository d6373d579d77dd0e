#!/usr/bin/env bash
# make-corpus.sh: regenerates the seed corpus of the fuzz targets (tests/fuzz/corpus/)
# from the demo data, with dossier-cli from a normal build.
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: tests/fuzz/make-corpus.sh [BUILDDIR]     (default: _build)
#
#   corpus/package/  zip packages for fuzz-package: one dossier at its order, a
#                    delivered customized dossier, a filing with its dossiers, and a
#                    few hostile zips (path traversal, a symbolic link, a zip bomb)
#   corpus/xml/      single documents for fuzz-xml: package.xml, manifest.xml,
#                    filing.xml, a whole small record, a delivered record with its
#                    history trimmed to a few entries, and a document with a DTD
#
# The records carry the time the demo was seeded, so a new corpus differs from the
# old one; commit it only when the format changed.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
srcdir=$(cd "$here/../.." && pwd)
builddir=$(cd "${1:-$srcdir/_build}" && pwd)
cli=$builddir/src/cli/dossier-cli
python=/usr/bin/python3
stamp=2026-03-02T10:15:03+08:00

if [[ ! -x $cli ]]; then
  echo "make-corpus.sh: $cli is missing; build first (meson compile -C ${1:-_build})" >&2
  exit 2
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export LC_ALL=C.UTF-8 DOSSIER_PASSWORD=admin-demo

"$cli" --db "$tmp/demo.db" demo >/dev/null

# Exporting needs an administrator once the demo has accounts.
export_package() {
  if ! "$cli" --db "$tmp/demo.db" --user admin export "$@" --generated-at "$stamp" >/dev/null 2>&1; then
    "$cli" --db "$tmp/demo.db" export "$@" --generated-at "$stamp" >/dev/null
  fi
}

rm -rf "$here/corpus"
mkdir -p "$here/corpus/package" "$here/corpus/xml"

export_package --unit DSR-2026-000010 --zip --out "$here/corpus/package/unit-order.zip"
export_package --unit DSR-2026-000003 --zip --out "$here/corpus/package/unit-customized.zip"
export_package --filing 粤械定制备20240003号 --zip --out "$here/corpus/package/filing.zip"
export_package --unit DSR-2026-000010 --out "$tmp/order"
export_package --filing 粤械定制备20240003号 --out "$tmp/filing"

cp "$tmp/filing/package.xml" "$here/corpus/xml/package.xml"
cp "$tmp/filing/manifest.xml" "$here/corpus/xml/manifest.xml"
cp "$tmp"/filing/filings/*/filing.xml "$here/corpus/xml/filing.xml"
cp "$tmp/order/records/DSR-2026-000010/record.xml" "$here/corpus/xml/record-order.xml"

"$python" - "$tmp/filing/records/DSR-2026-000003/record.xml" "$here/corpus" <<'PYTHON'
import io, sys, zipfile

record, corpus = sys.argv[1], sys.argv[2]

# The delivered record with only the first three entries of its history: the
# history is most of a record, and always the same kind of rows.
out, depth, kept = [], None, 0
for line in open(record, encoding='utf-8'):
    stripped = line.strip()
    if depth is None and stripped == '<list name="history">':
        depth = len(line) - len(line.lstrip())
        out.append(line)
        continue
    if depth is not None:
        indent = len(line) - len(line.lstrip())
        if indent == depth and stripped == '</list>':
            depth = None
        elif indent == depth + 2 and stripped == '<row>':
            kept += 1
        if depth is not None and kept > 3:
            continue
    out.append(line)
open(corpus + '/xml/record-delivered-trimmed.xml', 'w', encoding='utf-8').write(''.join(out))

open(corpus + '/xml/doctype.xml', 'w', encoding='utf-8').write(
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<!DOCTYPE manifest [<!ENTITY e SYSTEM "file:///etc/passwd">]>\n'
    '<manifest schemaVersion="1.0" xmlns="urn:io.github.dossier:package:1">&e;</manifest>\n')

def write_zip(name, entries):
    with zipfile.ZipFile(corpus + '/package/' + name, 'w') as z:
        for info, data in entries:
            z.writestr(info, data)

def entry(name, mode=0o100644, method=zipfile.ZIP_DEFLATED):
    info = zipfile.ZipInfo(name, date_time=(2026, 3, 2, 10, 15, 2))
    info.create_system = 3
    info.external_attr = mode << 16
    info.compress_type = method
    return info

write_zip('hostile-traversal.zip', [(entry('package.xml'), b'<package/>'),
                                    (entry('../outside.txt'), b'outside')])
write_zip('hostile-symlink.zip', [(entry('manifest.xml'), b'<manifest/>'),
                                  (entry('records/link', mode=0o120777), b'/etc/passwd')])
write_zip('hostile-bomb.zip', [(entry('manifest.xml'), b'\0' * (4 * 1024 * 1024))])
PYTHON

du -b "$here"/corpus/*/* | sort -n
