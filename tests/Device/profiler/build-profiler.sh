#!/usr/bin/env bash
# Builds a per-method IL profiler of nanoCLR (not used by CI): nf-interpreter a3e8139 with the tools' il-counter.patch
# and posix-m32.patch, plus il-profile.patch (exclusive and inclusive IL and calls per method while switched on) and
# host-profile.patch (the program's output switches it: a line with [[prof-reset]], [[prof-on]], [[prof-off]], or
# "[[prof-dump]] NAME", which writes /tmp/nanoclr-prof-NAME.txt: exclusive, inclusive, calls, Type::Method).
#   tests/Device/profiler/build-profiler.sh NF_SRC OUTDIR     (NF_SRC: an extracted nf-interpreter tree, copied)
# then: LD_LIBRARY_PATH=OUTDIR/build/lib NANOCLR_MSCORLIB=.../mscorlib.pe OUTDIR/build/bin/nanoclr-linux a.pe ... main.pe
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
tools=${NANOFRAMEWORK_TOOLS:-$here/../../../../shared/nanoframework/tools}
host=$tools/host-src/nanoclr-host
[ $# = 2 ] || { echo "usage: $0 NF_SRC OUTDIR" >&2; exit 2; }
out=$(mkdir -p "$2" && cd "$2" && pwd)
rm -rf "$out/nf" "$out/host"
cp -r "$1" "$out/nf"
cp -r "$host" "$out/host"
cd "$out/nf"
patch -p1 -s < "$host/il-counter.patch"
patch -p1 -s < "$host/posix-m32.patch"
sed -i 's/\r$//' src/CLR/Core/Interpreter.cpp
patch -p1 -s < "$here/il-profile.patch"
cd "$out/host"
patch -p1 -s < "$here/host-profile.patch"
mkdir -p build && cd build
cmake -G Ninja -DNF_SRC="$out/nf" -DNANOCLR_LINUX_COUNT_IL=ON -DCMAKE_BUILD_TYPE=Release .. >cmake.log
ninja -j2 >ninja.log
echo "built: $out/host/build/bin/nanoclr-linux (libraries in $out/host/build/lib)"
