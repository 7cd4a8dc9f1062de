#!/usr/bin/env bash
# Runs every fuzz target in fuzz/ for a while, one after the other, on one core, and prints
# how many inputs each ran. Not part of scripts/test.sh: CI runs the regression tests
# (analyzer/tests/fuzz_regressions.rs), never the fuzzer.
#
#   scripts/fuzz.sh              # 120 s per target
#   scripts/fuzz.sh 600          # 600 s per target
#   scripts/fuzz.sh 60 pipeline  # only the named targets
#
# Needs the nightly toolchain (libFuzzer's sanitizer flags). Installs cargo-fuzz at the
# pinned version when it is missing. Crashes land in fuzz/artifacts/<target>/; the corpus each
# run grows goes to fuzz/work/<target>/ (ignored by git), the committed seeds stay in
# fuzz/corpus/<target>/.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

CARGO_FUZZ_VERSION=0.13.2
seconds=${1:-120}
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  targets=(tree workflow gcloud config_connector app_engine pipeline terraform script)
fi

if ! cargo fuzz --version 2>/dev/null | grep -q " $CARGO_FUZZ_VERSION\$"; then
  cargo install cargo-fuzz --version "$CARGO_FUZZ_VERSION" --locked
fi

# Build once (release, debug assertions on), then run each target. `tree` runs under
# AddressSanitizer: it drives libyaml, the one `unsafe` code (analyzer/src/tree/libyaml.rs).
# The other targets run without (about twice as fast): everything they add is safe Rust.
cargo +nightly fuzz build --sanitizer none
cargo +nightly fuzz build --sanitizer address tree
mkdir -p fuzz/work
summary=()
for target in "${targets[@]}"; do
  mkdir -p "fuzz/work/$target"
  log="fuzz/work/$target.log"
  echo "fuzz: $target for ${seconds}s (log: $log)"
  status=0
  sanitizer=none
  [ "$target" = tree ] && sanitizer=address
  cargo +nightly fuzz run --sanitizer "$sanitizer" "$target" "fuzz/work/$target" "fuzz/corpus/$target" -- \
    -max_total_time="$seconds" -jobs=1 -workers=1 -max_len=65536 \
    -dict=fuzz/dict/yaml.dict -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    >"$log" 2>&1 || status=$?
  # With -jobs, libFuzzer runs the job in a child that writes fuzz-0.log in the current folder.
  if [ -f fuzz-0.log ]; then
    cat fuzz-0.log >>"$log"
    rm fuzz-0.log
  fi
  execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | tail -1 | grep -o '[0-9]*$' || echo '?')
  speed=$(grep -o 'stat::average_exec_per_sec: *[0-9]*' "$log" | tail -1 | grep -o '[0-9]*$' || echo '?')
  last=$(grep -E '^#[0-9]+' "$log" | tail -1 | grep -oE 'cov: [0-9]+ ft: [0-9]+ corp: [0-9]+/[0-9]+[a-zA-Z]*' || echo '')
  if [ "$status" -ne 0 ]; then
    result="FAILED (exit $status; see $log and fuzz/artifacts/$target/)"
  else
    result="ok"
  fi
  summary+=("$(printf '%-18s %12s execs %8s exec/s  %s  %s' "$target" "$execs" "$speed" "$last" "$result")")
  echo "${summary[-1]}"
done
echo "fuzz: summary (${seconds}s per target)"
printf '%s\n' "${summary[@]}"
for line in "${summary[@]}"; do
  case "$line" in *FAILED*) exit 1 ;; esac
done
