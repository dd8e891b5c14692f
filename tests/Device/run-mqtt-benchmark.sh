#!/usr/bin/env bash
# IL instructions per MQTT message published, on nanoCLR (issue 15 point 7): tests/DeviceBench's MqttBench
# publishes 128-byte payloads to a 16-byte topic from stack A of a MemoryWire pair to a broker scripted on
# stack B, at QoS 0 and QoS 1 (PUBACK handled), with nanoCLR's counting build. The device side's turns are
# summed: MqttClient.Publish and Poll plus NetworkStack.Poll (the segment out; at QoS 1 the PUBACK in).
# The MemoryWire's own IL per frame and the counter's per-turn overhead are subtracted, as in
# run-cost-benchmark.sh.     tests/Device/run-mqtt-benchmark.sh [--no-build]
set -euo pipefail
source "$(dirname "$0")/nanoclr-common.sh"
prepare_program NanoTcp.DeviceBench "$@"
timeout 600 "$tools/nanoclr" --count-il "${images[@]}" >"$pe/count.txt" 2>"$pe/count.err"
grep -q '^done$' "$pe/count.txt" || { echo "the benchmark did not finish"; tail -3 "$pe/count.txt"; exit 1; }
if grep -q '^mqtt-failed' "$pe/count.txt"; then grep '^mqtt-failed' "$pe/count.txt"; exit 1; fi
python3 - "$pe/count.txt" <<'PY'
import sys
lines = [l.split() for l in open(sys.argv[1])]
cal = min(int(l[1]) for l in lines if l[0] == "cal")
tx = next(int(l[1]) for l in lines if l[0] == "wire-tx") / 200
rx = next(int(l[1]) for l in lines if l[0] == "wire-rx") / 200
first = next(int(l[1]) for l in lines if l[0] == "mqtt-first")
print(f"MQTT on nanoCLR: the first Publish of a connection costs {first - cal} IL once (not in the figures below)")
for qos in (0, 1):
    turns = [int(l[1]) for l in lines if l[0] == f"mqtt-q{qos}"]
    f = next(l for l in lines if l[0] == "mqtt-frames" and l[1] == f"q{qos}")
    sent, received, messages = int(f[3]), int(f[5]), int(f[7])
    net = sum(turns) - cal * len(turns) - sent * tx - received * rx
    print(f"MQTT QoS {qos} on nanoCLR: {net / messages:.0f} IL per message published (128 B payload, 16 B topic; "
          f"client and stack, {sent / messages:.2f} frames out and {received / messages:.2f} in per message, MemoryWire subtracted)")
PY
