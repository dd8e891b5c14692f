# Shared by run-on-nanoclr.sh, run-cost-benchmark.sh and run-mqtt-benchmark.sh (sourced, not run): finds nanoFramework's tools, builds
# the device programs against the real mscorlib, converts every assembly with mdp and runs one program on nanoCLR.
# Tools: $NANOFRAMEWORK_TOOLS, else ../shared/nanoframework/tools beside the clone. Under CI=true a missing
# tool is a failure (exit 1); elsewhere the caller stops with exit 0 after saying what is missing.
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
configuration=${CONFIGURATION:-Release}
tools=${NANOFRAMEWORK_TOOLS:-$root/../shared/nanoframework/tools}
packages=${NUGET_PACKAGES:-$HOME/.nuget/packages}
# The device programs (exes); every other assembly in device/bin is a library loaded beside the one run.
device_programs=(NanoTcp.DeviceTests NanoTcp.DeviceBench)

missing() {
  echo "not run: $1"
  echo "  how to get it: $2"
  if [ "${CI:-}" = true ]; then echo "CI=true: a missing tool is a failure"; exit 1; fi
  exit 0
}

require_tools() {
  local how="put the project's shared folder beside the clone (../shared/nanoframework/tools) or set NANOFRAMEWORK_TOOLS"
  [ -x "$tools/mdp" ] || missing "no MetadataProcessor at $tools/mdp" "$how"
  [ -x "$tools/nanoclr" ] || missing "no nanoCLR at $tools/nanoclr" "$how"
}

# build_programs: dotnet build of both programs (and so every device/*.nf.csproj) in $configuration.
build_programs() {
  local p
  for p in tests/Device/NanoTcp.DeviceTests.csproj tests/DeviceBench/NanoTcp.DeviceBench.csproj; do
    dotnet build "$root/$p" -c "$configuration" -nologo -v quiet >/dev/null \
      || { echo "build failed: dotnet build $p -c $configuration"; exit 1; }
  done
}

# convert_all OUTDIR: mdp over device/bin/$configuration/*.dll.
convert_all() {
  [ -f "$packages/nanoframework.corelibrary/1.17.11/lib/mscorlib.pe" ] || missing \
    "nanoFramework.CoreLibrary 1.17.11 is not restored in $packages" "dotnet restore tests/Device/NanoTcp.DeviceTests.csproj"
  local bin="$root/device/bin/$configuration"
  [ -f "$bin/NanoTcp.DeviceTests.dll" ] || { echo "no $bin/NanoTcp.DeviceTests.dll: build tests/Device first (-c $configuration)"; exit 1; }
  "$tools/mdp" -o "$1" "$bin"/*.dll >"$1/mdp.log" || { cat "$1/mdp.log"; echo "mdp could not convert the assemblies"; exit 1; }
}

# program_images OUTDIR PROGRAM: the libraries, then PROGRAM's image (its Main is the entry point).
program_images() {
  local f name p skip
  images=()
  for f in "$1"/*.pe; do
    name=$(basename "$f" .pe); skip=0
    for p in "${device_programs[@]}"; do [ "$name" = "$p" ] && skip=1; done
    [ $skip = 1 ] || images+=("$f")
  done
  images+=("$1/$2.pe")
}

# prepare_program PROGRAM [--no-build]: the steps every script takes before running PROGRAM: tools checked, the
# programs built (unless --no-build), every assembly converted into $pe (removed at exit), images set.
prepare_program() {
  local program=$1 build=1 a
  shift
  for a in "$@"; do
    case "$a" in
      --no-build) build=0;;
      *) echo "usage: $0 [--no-build]" >&2; exit 2;;
    esac
  done
  require_tools
  [ $build = 0 ] || build_programs
  pe=$(mktemp -d)
  trap 'rm -rf "$pe"' EXIT
  convert_all "$pe"
  program_images "$pe" "$program"
}
