#!/usr/bin/env bash
# Runs the device test program (tests/Device) on nanoCLR, nanoFramework's own interpreter: builds every
# portable assembly against the real mscorlib (device/*.nf.csproj), converts them with the MetadataProcessor
# (mdp) and runs NanoTcp.DeviceTests' Main. Prints one line per test and "N passed, N failed".
#   tests/Device/run-on-nanoclr.sh [--no-build] [--count-il]
# Tools: $NANOFRAMEWORK_TOOLS, else ../shared/nanoframework/tools beside the clone. Under CI=true a missing
# tool is a failure; elsewhere the script says what is missing and exits 0 without running.
# Exit: 0 every test passed (or not run outside CI), 1 a test failed or the run did not end with its verdict.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
configuration=${CONFIGURATION:-Release}
build=1 countil=()
for a in "$@"; do
  case "$a" in
    --no-build) build=0;;
    --count-il) countil=(--count-il);;
    *) echo "usage: $0 [--no-build] [--count-il]" >&2; exit 2;;
  esac
done

tools=${NANOFRAMEWORK_TOOLS:-$root/../shared/nanoframework/tools}
packages=${NUGET_PACKAGES:-$HOME/.nuget/packages}
missing() {
  echo "device tests not run: $1"
  echo "  how to get it: $2"
  if [ "${CI:-}" = true ]; then echo "CI=true: a missing tool is a failure"; exit 1; fi
  exit 0
}
[ -x "$tools/mdp" ] || missing "no MetadataProcessor at $tools/mdp" \
  "put the project's shared folder beside the clone (../shared/nanoframework/tools) or set NANOFRAMEWORK_TOOLS"
[ -x "$tools/nanoclr" ] || missing "no nanoCLR at $tools/nanoclr" \
  "put the project's shared folder beside the clone (../shared/nanoframework/tools) or set NANOFRAMEWORK_TOOLS"

if [ $build = 1 ]; then
  dotnet build "$root/tests/Device/NanoTcp.DeviceTests.csproj" -c "$configuration" -nologo -v quiet >/dev/null \
    || { echo "build of tests/Device failed: dotnet build tests/Device/NanoTcp.DeviceTests.csproj -c $configuration"; exit 1; }
fi
[ -f "$packages/nanoframework.corelibrary/1.17.11/lib/mscorlib.pe" ] || missing \
  "nanoFramework.CoreLibrary 1.17.11 is not restored in $packages" "dotnet restore tests/Device/NanoTcp.DeviceTests.csproj"
bin="$root/device/bin/$configuration"
[ -f "$bin/NanoTcp.DeviceTests.dll" ] || { echo "no $bin/NanoTcp.DeviceTests.dll: build tests/Device first (-c $configuration)"; exit 1; }

pe=$(mktemp -d)
trap 'rm -rf "$pe"' EXIT
"$tools/mdp" -o "$pe" "$bin"/*.dll >"$pe/mdp.log" || { cat "$pe/mdp.log"; echo "mdp could not convert the assemblies"; exit 1; }
images=()
for f in "$pe"/*.pe; do [ "$(basename "$f")" = NanoTcp.DeviceTests.pe ] || images+=("$f"); done
images+=("$pe/NanoTcp.DeviceTests.pe")   # the last image's Main is the entry point

set +e
timeout 600 "$tools/nanoclr" "${countil[@]+"${countil[@]}"}" "${images[@]}" | tee "$pe/out.txt"
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
