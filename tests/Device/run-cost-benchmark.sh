#!/usr/bin/env bash
# Device cost benchmark on nanoCLR (issue 11 point 5): two default NetworkStacks move 100 KB through a MemoryWire
# (tests/DeviceBench). IL instructions come from nanoCLR's counting build (--count-il: exact, the same on every
# run); interpreter time from its release build, median of five rounds, beside a reference workload that never
# changes (tests/DeviceBench/ReferenceWorkload.cs). The MemoryWire's own IL and the counter's per-turn overhead
# are measured alone and subtracted. A native mscorlib call (Array.Copy, BitConverter) counts as one instruction,
# hence the time column.
#   tests/Device/run-cost-benchmark.sh [--no-build]     (CONFIGURATION=Release by default)
set -euo pipefail
source "$(dirname "$0")/nanoclr-common.sh"
prepare_program NanoTcp.DeviceBench "$@"
timeout 600 "$tools/nanoclr" --count-il "${images[@]}" >"$pe/count.txt" 2>"$pe/count.err"
timeout 600 "$tools/nanoclr" "${images[@]}" >"$pe/time.txt"
grep -q '^done$' "$pe/count.txt" && grep -q '^done$' "$pe/time.txt" || { echo "the benchmark did not finish"; tail -3 "$pe/count.txt" "$pe/time.txt"; exit 1; }
python3 - "$pe/count.txt" "$pe/time.txt" <<'PY'
import statistics, sys
count = [l.split() for l in open(sys.argv[1])]
time = [l.split() for l in open(sys.argv[2])]
cal = min(int(l[1]) for l in count if l[0] == "cal")
wire_frames = 200
tx = next(int(l[1]) for l in count if l[0] == "wire-tx") / wire_frames
rx = next(int(l[1]) for l in count if l[0] == "wire-rx") / wire_frames
# Two runs over the MemoryWire: A keeping its ring full (the default window's mix of segment sizes), and A
# writing 1460 bytes only when all it sent was acknowledged (full segments only, as issue 11 point 5 asks).
for suffix, what in (("", "A keeps its send ring full"), ("1460", "full 1460-byte segments only: A writes 1460 B when all it sent was acknowledged")):
    moved = next(l for l in count if l[0] == "moved" + suffix)
    fa, fb, segments, nbytes = int(moved[2]), int(moved[4]), int(moved[6]), int(moved[8])
    turns = {s: [int(l[1]) for l in count if l[0] == s + suffix] for s in ("A", "B")}
    net = {
        "A": sum(turns["A"]) - cal * len(turns["A"]) - fa * tx - fb * rx,
        "B": sum(turns["B"]) - cal * len(turns["B"]) - fb * tx - fa * rx,
    }
    print(f"device cost on nanoCLR ({what}): {nbytes} bytes A->B, default StackConfig, MemoryWire; {segments} data segments "
          f"(avg {nbytes / segments:.0f} B), {fa} frames from A, {fb} from B")
    if not suffix:
        print(f"  MemoryWire alone: {tx:.0f} IL per frame sent, {rx:.0f} per frame received (subtracted); counter overhead {cal} IL per mark (subtracted)")
    for side, name in (("A", "send path (A: application write, ACKs in, segments out)"), ("B", "receive path (B: segments in, ACKs out, application read)")):
        print(f"  {name}: {net[side]:.0f} IL = {net[side] / nbytes:.2f} IL per payload byte, {net[side] / segments:.0f} per data segment")
    print(f"  both sides: {(net['A'] + net['B']) / nbytes:.2f} IL per payload byte")
# W5500: the device's turns only; "chip" lines are the chip model's own IL inside SPI transactions and INTn reads.
direction = None
w = {}
dev = chip = points = 0
for l in count:
    if l[0] == "w5500":
        direction = l[1]
        w[direction] = {"busy": [0, 0, 0], "idle": [0, 0, 0]}
    elif direction and l[0] in ("dev", "chip"):
        points += 1
        if l[0] == "dev": dev += int(l[1])
        else: chip += int(l[1])
    elif direction and l[0] in ("turn-busy", "turn-idle"):
        b = w[direction][l[0][5:]]
        b[0] += dev + int(l[1]) - cal * (points + 1); b[1] += chip; b[2] += 1
        dev = chip = points = 0
    elif direction and l[0] == "w5500-moved":
        w[direction]["segments"], w[direction]["bytes"] = int(l[2]), int(l[4])
for d, name in (("rx", "receive path (frame from the chip model -> W5500 driver -> stack -> application read)"),
                ("tx", "send path (application write -> stack -> W5500 driver -> chip model)"),
                ("rx1460", "receive path, full 1460-byte segments only"),
                ("tx1460", "send path, full 1460-byte segments only")):
    r = w[d]
    print(f"  W5500 {name}: {r['busy'][0] / r['bytes']:.2f} IL per payload byte, {r['busy'][0] / r['segments']:.0f} per data segment "
          f"({r['busy'][2]} turns; chip model's own {r['busy'][1] / r['bytes']:.1f} IL per byte subtracted; "
          f"{r['idle'][2]} idle polls, {r['idle'][0] / max(1, r['idle'][2]):.0f} IL each, apart)")
rounds = [(int(l[2]), int(l[4])) for l in time if l[0] == "time"]
ref = statistics.median(r for r, _ in rounds) / 1e4
xfer = statistics.median(t for _, t in rounds) / 1e4
ratio = statistics.median(t / r for r, t in rounds)
print(f"interpreter time (release nanoCLR, median of {len(rounds)}): transfer {xfer:.1f} ms = {xfer * 1e6 / nbytes:.0f} ns per payload byte "
      f"(both sides); reference workload {ref:.1f} ms; transfer / reference (median of the rounds' ratios) = {ratio:.2f}")
PY
