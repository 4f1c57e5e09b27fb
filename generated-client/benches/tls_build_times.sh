#!/usr/bin/env bash
# Build time of the client with each TLS feature, from an empty target directory, with
# reqwest's own compile time from the same build as the reference (cargo --timings).
#
#   generated-client/benches/tls_build_times.sh [SCRATCH_DIR]
#
# Prints one Markdown row per feature: wall time of the whole build, reqwest's unit time, and
# the time of the units the feature adds (TLS crates: rustls, aws-lc, ring, openssl, ...).
set -euo pipefail
cd "$(dirname "$0")/../.."
scratch="${1:-$(mktemp -d)}"
echo "| feature | whole build (s) | reqwest (s) | build / reqwest | TLS crates (s) |"
echo "|---|---:|---:|---:|---:|"
for feature in rustls rustls-ring native-tls; do
  target="$scratch/$feature"
  rm -rf "$target"
  start=$(date +%s.%N)
  CARGO_TARGET_DIR="$target" cargo build -q -p carecycle --no-default-features \
    --features "$feature" --timings >/dev/null 2>&1
  end=$(date +%s.%N)
  report=$(ls "$target"/cargo-timings/cargo-timing-*.html | head -1)
  python3 - "$feature" "$start" "$end" "$report" <<'PY'
import json, re, sys
feature, start, end, report = sys.argv[1], float(sys.argv[2]), float(sys.argv[3]), sys.argv[4]
html = open(report).read()
units = json.loads(re.search(r"const UNIT_DATA = (\[.*?\]);\n", html, re.S).group(1))
def total(match):
    return sum(u["duration"] for u in units if match(u["name"]))
reqwest = total(lambda n: n == "reqwest")
tls_names = ("rustls", "aws-lc", "ring", "openssl", "native-tls", "hyper-rustls", "hyper-tls",
             "tokio-rustls", "tokio-native-tls", "rustls-platform-verifier", "webpki")
tls = total(lambda n: n.startswith(tls_names))
whole = end - start
print(f"| `{feature}` | {whole:.0f} | {reqwest:.1f} | {whole / reqwest:.1f} | {tls:.1f} |")
PY
done
