#!/usr/bin/env bash
# Runs the device test program (tests/Device) on nanoCLR, nanoFramework's own interpreter: builds every
# portable assembly against the real mscorlib (device/*.nf.csproj), converts them with the MetadataProcessor
# (mdp) and runs NanoTcp.DeviceTests' Main. Prints one line per test and "N passed, N failed".
#   tests/Device/run-on-nanoclr.sh [--no-build]        (CONFIGURATION=Debug|Release, default Release)
# Tools: see nanoclr-common.sh. Under CI=true a missing tool is a failure; elsewhere the script says what is
# missing and how to get it, and exits 0 without running.
# Exit: 0 every test passed (or not run outside CI), 1 a test failed or the run did not end with its verdict.
set -euo pipefail
source "$(dirname "$0")/nanoclr-common.sh"
prepare_program NanoTcp.DeviceTests "$@"

set +e
# The W5500 timing scenarios step virtual time in 1 us slices: about a minute of CPU on nanoCLR.
timeout 1500 "$tools/nanoclr" "${images[@]}" | tee "$pe/out.txt"
clr=${PIPESTATUS[0]}
set -e
passes=$(grep -c '^PASS ' "$pe/out.txt" || true)
fails=$(grep -c '^FAIL ' "$pe/out.txt" || true)
verdict=$(tail -n 1 "$pe/out.txt")
# An uncaught exception ends nanoCLR's thread silently: without the closing line the run failed.
if [ "$clr" != 0 ] || [ "$verdict" != "$passes passed, $fails failed" ]; then
  echo "device test program did not finish (nanoclr exit $clr, last line '$verdict')"
  exit 1
fi
[ "$fails" = 0 ] && [ "$passes" -gt 0 ]
