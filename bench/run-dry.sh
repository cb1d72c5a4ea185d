#!/usr/bin/env bash
# Smoke run of every benchmark for CI: builds Release, runs each micro-benchmark once in BenchmarkDotNet's Dry
# job (their setups check the subject's output against the tests' fixtures, so a wrong subject fails here), then
# the end-to-end load harness with --quick (it reconciles every count against the venue, its one-in-flight and
# busy-spin runs included, and this script checks that those runs were reported), and the ring's one-hop latency table
# for a few hundred hops. Exits non-zero on any failure.
# Takes a few minutes; the numbers it prints are not measurements (Dry = one cold invocation).
#   usage: bench/run-dry.sh          (from anywhere)
set -euo pipefail
cd "$(dirname "$0")/.."

export DOTNET_CLI_TELEMETRY_OPTOUT=1
export DOTNET_NOLOGO=1

artifacts=$(mktemp -d)
trap 'rm -rf "$artifacts"' EXIT

echo "== build (Release): benchmarks, load harness and the oms venue it starts"
dotnet build bench/Oms.Benchmarks/Oms.Benchmarks.csproj -c Release
dotnet build bench/Oms.LoadHarness/Oms.LoadHarness.csproj -c Release

echo "== micro-benchmarks, Dry job"
dotnet bench/Oms.Benchmarks/bin/Release/net10.0/Oms.Benchmarks.dll --job Dry --filter '*' --buildTimeout 600 --artifacts "$artifacts" \
  | tee "$artifacts/bdn.log"
# BenchmarkDotNet's own exit code covers failed benchmarks; also make sure something ran at all.
executed=$(grep -Eo 'executed benchmarks: [0-9]+' "$artifacts/bdn.log" | tail -1 | grep -Eo '[0-9]+$' || echo 0)
if [ "$executed" -eq 0 ]; then
  echo "run-dry: no micro-benchmark ran" >&2
  exit 1
fi

echo "== ring one-hop latency, a few hundred hops per queue (the table's layout is checked, not its figures)"
dotnet bench/Oms.Benchmarks/bin/Release/net10.0/Oms.Benchmarks.dll hop 300 | tee "$artifacts/hop.log"
for row in '| ring, busy-spin |' '| ring, yielding |' '| ring, sleeping |' '| ring, blocking |' '| bounded Channel |'; do
  if ! grep -qF -- "$row" "$artifacts/hop.log"; then
    echo "run-dry: the hop latency table has no row '$row'" >&2
    exit 1
  fi
done

echo "== load harness, --quick (the latency configuration's runs included: 1 in flight, steady with busy-spin)"
dotnet bench/Oms.LoadHarness/bin/Release/net10.0/Oms.LoadHarness.dll --quick | tee "$artifacts/harness.log"
# The exit code says every run's counts reconciled; also make sure the latency configuration's runs took place.
for row in '| 1 in flight, engine busy-spin: round trip p50 / p99 / p99.9' ', engine busy-spin: tick-to-wire p50 / p99 / p99.9'; do
  if ! grep -qF -- "$row" "$artifacts/harness.log"; then
    echo "run-dry: the harness report has no row '$row'" >&2
    exit 1
  fi
done

echo "== load harness, --venue-pace --quick (both clients at a venue's pace, and the idle engine)"
dotnet bench/Oms.LoadHarness/bin/Release/net10.0/Oms.LoadHarness.dll --venue-pace --quick | tee "$artifacts/pace.log"
for row in 'process CPU µs/cancel' 'engine threads CPU µs/cancel' "tick-to-wire, engine's own" 'tick-to-wire, waited for the venue' 'engine connected, nothing to send, spin-then-park'; do
  if ! grep -qF -- "$row" "$artifacts/pace.log"; then
    echo "run-dry: the venue-pace report has no row '$row'" >&2
    exit 1
  fi
done

echo "run-dry: $executed micro-benchmarks and the load harness (usual runs and venue pace) passed"
