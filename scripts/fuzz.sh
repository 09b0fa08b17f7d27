#!/usr/bin/env bash
# Builds the libFuzzer targets of tests/fuzz (preset "fuzz": clang-14, ASan +
# UBSan) and fuzzes each parser for a bounded time. First every committed crash
# regression is replayed, then each target runs from its seed corpus with its
# dictionary. Fails on any crash, hang (-timeout), memory blow-up, leak or
# sanitizer report; the input that did it is left in build/fuzz/artifacts/<target>/.
#
# Usage: scripts/fuzz.sh [seconds per target] [target ...]
#   ZL_FUZZ_SECONDS  seconds per target when not given (default 30)
#   ZL_FUZZ_JOBS     targets fuzzed at once (default: 2, or 1 on a single core)
#   ZL_FUZZ_ARGS     extra libFuzzer flags, e.g. "-fork=2 -ignore_crashes=1"
# Targets: safetensors safetensors_index model_config tokenizer_json
#          sentencepiece_model mask checkpoint corpus (default: all).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-${ZL_FUZZ_SECONDS:-30}}"
shift || true
targets=("$@")
if ((${#targets[@]} == 0)); then
  targets=(safetensors safetensors_index model_config tokenizer_json sentencepiece_model mask checkpoint corpus)
fi
jobs="${ZL_FUZZ_JOBS:-$(($(nproc) > 1 ? 2 : 1))}"
export CCACHE_DIR="${CCACHE_DIR:-$HOME/.cache/zerolens/ccache}"

start=$SECONDS
cmake --preset fuzz >/dev/null
cmake --build --preset fuzz
echo "fuzz build: $((SECONDS - start)) s"

build=build/fuzz
bin="$build/tests/fuzz"
logs="$build/logs"
mkdir -p "$logs"
# A scratch folder for the targets' files that is removed even when one crashes.
scratch=$(mktemp -d "${TMPDIR:-/tmp}/zl-fuzz.XXXXXX")
[[ -w /dev/shm ]] && scratch=$(mktemp -d /dev/shm/zl-fuzz.XXXXXX)
trap 'rm -rf "$scratch"' EXIT
export ZL_FUZZ_TMPDIR="$scratch"
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:handle_abort=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
# LeakSanitizer cannot run under ptrace or in some sandboxes; there, leak checks
# are switched off (with a warning) rather than failing every target.
probe=$(mktemp -d)
if ! "$bin/fuzz_${targets[0]}" -runs=1 -artifact_prefix="$probe/" "$probe" >"$logs/lsan-probe.log" 2>&1 &&
  grep -q 'LeakSanitizer has encountered a fatal error\|LeakSanitizer does not work' "$logs/lsan-probe.log"; then
  echo "warning: LeakSanitizer does not work here; fuzzing without leak checks" >&2
  export ASAN_OPTIONS="${ASAN_OPTIONS/detect_leaks=1/detect_leaks=0}"
fi
rm -rf "$probe"

# Runs one target: its regressions, then `seconds` of fuzzing. Writes the
# executions to $logs/<target>.execs and returns non-zero on any finding.
fuzz_one() {
  local t="$1" log="$logs/$1.log" exe="$bin/fuzz_$1"
  local corpus="$build/corpus/$t" artifacts="$build/artifacts/$t/"
  mkdir -p "$corpus" "$artifacts"
  : >"$log"
  local regressions=()
  if [[ -d tests/fuzz/regressions/$t ]]; then
    mapfile -t regressions < <(find "tests/fuzz/regressions/$t" -type f ! -name '.*' | sort)
  fi
  if ((${#regressions[@]} > 0)); then
    echo "== replaying ${#regressions[@]} regressions" >>"$log"
    "$exe" -timeout=10 -rss_limit_mb=2048 "${regressions[@]}" >>"$log" 2>&1 || return 1
  fi
  local dict=()
  [[ -f tests/fuzz/$t.dict ]] && dict=("-dict=tests/fuzz/$t.dict")
  echo "== fuzzing for $seconds s" >>"$log"
  # shellcheck disable=SC2086 # ZL_FUZZ_ARGS is a list of flags
  "$exe" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="$artifacts" "${dict[@]}" ${ZL_FUZZ_ARGS:-} "$corpus" "tests/fuzz/corpus/$t" >>"$log" 2>&1
}

declare -A pid_of
failed=()
report() {
  local t="$1" rc="$2" execs
  execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$logs/$t.log" | tail -1 | grep -o '[0-9]*$' || true)
  # -fork mode prints no final stats; its last status line starts with the count.
  [[ -n "$execs" ]] || execs=$(grep -oE '^#[0-9]+' "$logs/$t.log" | tail -1 | tr -d '#' || true)
  if ((rc == 0)); then
    printf '%-20s %10s executions in %s s\n' "$t" "${execs:-?}" "$seconds"
  else
    failed+=("$t")
    printf '%-20s FAILED (exit %d) after %s executions; log %s\n' "$t" "$rc" "${execs:-?}" "$logs/$t.log"
    # The input, the first lines of the report and where the input was saved.
    {
      grep -E '^Running: ' "$logs/$t.log" | tail -1
      grep -m1 -A8 -E '^==[0-9]+==ERROR|runtime error:|deadly signal|ALARM:|out-of-memory' "$logs/$t.log"
      grep -E '^SUMMARY|Test unit written' "$logs/$t.log"
    } | cut -c1-240 | sed 's/^/    /'
  fi
}

running=0
for t in "${targets[@]}"; do
  [[ -x "$bin/fuzz_$t" ]] || { echo "no fuzz target '$t' in $bin" >&2; exit 2; }
  if ((running >= jobs)); then
    wait -n -p done_pid && rc=0 || rc=$?
    for k in "${!pid_of[@]}"; do
      if [[ "${pid_of[$k]}" == "$done_pid" ]]; then
        report "$k" "$rc"
        unset "pid_of[$k]"
      fi
    done
    running=$((running - 1))
  fi
  fuzz_one "$t" &
  pid_of[$t]=$!
  running=$((running + 1))
done
for k in "${!pid_of[@]}"; do
  wait "${pid_of[$k]}" && rc=0 || rc=$?
  report "$k" "$rc"
done

echo "fuzz step: $((SECONDS - start)) s in all"
if ((${#failed[@]} > 0)); then
  echo "fuzzing found problems in: ${failed[*]} (inputs in $build/artifacts/<target>/; save each as" \
    "tests/fuzz/regressions/<target>/<what-it-does> so the ctest replay keeps it)" >&2
  exit 1
fi
