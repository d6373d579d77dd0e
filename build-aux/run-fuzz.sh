#!/usr/bin/env bash
# run-fuzz.sh: builds the libFuzzer targets in their own build directory (clang,
# AddressSanitizer, UndefinedBehaviorSanitizer; reused when it is there) and runs
# each for a bounded time on a copy of its seed corpus.  Fails on a crash, a leak,
# a timeout or running out of memory, naming the input that did it.
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: build-aux/run-fuzz.sh [SECONDS]
#   SECONDS         how long each target runs (default 60, or $FUZZ_SECONDS)
#   FUZZ_BUILDDIR   the build directory (default _build-fuzz in the source tree)
#   FUZZ_KEEP=1     keep the run's folder (grown corpora, logs) even when all passed
#
# The targets run side by side, one per core.  `make test` runs this as the test
# "fuzz" (suite fuzz); see HACKING.md, "Fuzzing", to reproduce a crash.
set -uo pipefail

srcdir=$(cd "$(dirname "$0")/.." && pwd)
builddir=${FUZZ_BUILDDIR:-$srcdir/_build-fuzz}
seconds=${1:-${FUZZ_SECONDS:-60}}
# target:seed folder under tests/fuzz/corpus
targets=(fuzz-package:package fuzz-xml:xml)

if ! command -v clang >/dev/null; then
  echo "run-fuzz.sh: clang is missing; build-aux/install-deps.sh test installs it (clang, libclang-rt-14-dev)." >&2
  exit 1
fi

started=$SECONDS
if [[ ! -f $builddir/build.ninja ]]; then
  # b_lundef=false: the sanitizers' runtime is linked into the executables only.
  if ! CC=clang meson setup "$builddir" "$srcdir" -Dfuzzing=true -Db_sanitize=address,undefined \
       -Db_lundef=false --buildtype=debugoptimized; then
    echo "run-fuzz.sh: configuring $builddir failed." >&2
    exit 1
  fi
fi
if ! meson compile -C "$builddir" -j 2; then
  echo "run-fuzz.sh: building the fuzz targets failed." >&2
  exit 1
fi
echo "run-fuzz.sh: built in $((SECONDS - started)) s; running each target for $seconds s."

# Never in the source tree: libFuzzer adds what it finds to the corpus folder.  The
# targets' scratch folders go here too (TMPDIR), so nothing is left behind even
# when a target crashes.
work=$(mktemp -d "${TMPDIR:-/tmp}/dossier-fuzz-run-XXXXXX")

export TMPDIR=$work
export LC_ALL=C.UTF-8
export G_SLICE=always-malloc
export G_DEBUG=gc-friendly
export ASAN_OPTIONS=detect_leaks=1:strict_string_checks=1:detect_stack_use_after_return=1:check_initialization_order=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
if command -v llvm-symbolizer >/dev/null; then
  export ASAN_SYMBOLIZER_PATH=$(command -v llvm-symbolizer)
fi

pids=()
for entry in "${targets[@]}"; do
  target=${entry%%:*}
  seeds=${entry#*:}
  mkdir -p "$work/$target-corpus" "$work/$target-artifacts"
  cp "$srcdir/tests/fuzz/corpus/$seeds"/* "$work/$target-corpus/"
  "$builddir/tests/fuzz/$target" \
    -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
    -dict="$srcdir/tests/fuzz/package.dict" \
    -artifact_prefix="$work/$target-artifacts/" \
    -print_final_stats=1 \
    "$work/$target-corpus" >"$work/$target.log" 2>&1 &
  pids+=($!)
done

failed=0
for i in "${!targets[@]}"; do
  target=${targets[$i]%%:*}
  wait "${pids[$i]}"
  status=$?
  log=$work/$target.log
  # The last status line (coverage, corpus, exec/s) and the final statistics.
  summary=$(grep -E '^#[0-9]+' "$log" | tail -n 1)
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
  echo "$target: exit status $status; ${execs:-?} inputs, ${rate:-?} exec/s"
  echo "  $summary"
  if [[ $status -ne 0 ]]; then
    failed=1
    echo "---- $target: the end of its log ($log) ----"
    tail -n 60 "$log"
    for artifact in "$work/$target-artifacts"/*; do
      [[ -e $artifact ]] || continue
      echo "run-fuzz.sh: $target failed on $artifact"
      echo "  reproduce: $builddir/tests/fuzz/$target $artifact"
    done
  fi
done

if [[ $failed -ne 0 || -n ${FUZZ_KEEP:-} ]]; then
  echo "run-fuzz.sh: the run's folder is kept: $work"
else
  rm -rf "$work"
fi
echo "run-fuzz.sh: done in $((SECONDS - started)) s."
exit $failed
