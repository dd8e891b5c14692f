#!/usr/bin/python3
# Golden MQTT 3.1.1 packets from an independent encoder: Debian's mosquitto_pub and mosquitto_sub
# talking to a fake broker on 127.0.0.1 (loopback only) that answers per the OASIS spec (CONNACK 3.2,
# PUBACK 3.4, SUBACK 3.9) and records every packet the client sends. Prints JSON lines:
# {"name": ..., "hex": ...}. .ci/run checks that packets.jsonl is still what this prints.
import json, socket, subprocess, sys

def read_packet(conn):
    head = conn.recv(1, socket.MSG_WAITALL)
    if not head:
        return None
    length, shift, raw = 0, 0, b""
    while True:
        b = conn.recv(1, socket.MSG_WAITALL)
        raw += b
        length |= (b[0] & 0x7F) << shift
        shift += 7
        if b[0] & 0x80 == 0:
            break
    body = conn.recv(length, socket.MSG_WAITALL) if length else b""
    return head + raw + body

def capture(args):
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    port = server.getsockname()[1]
    proc = subprocess.Popen(args + ["-h", "127.0.0.1", "-p", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    conn, _ = server.accept()
    conn.settimeout(5)
    packets = []
    try:
        while True:
            p = read_packet(conn)
            if p is None:
                break
            packets.append(p)
            kind = p[0] >> 4
            if kind == 1:
                conn.sendall(bytes([0x20, 0x02, 0x00, 0x00]))
            elif kind == 3 and (p[0] >> 1) & 3 == 1:
                topic_len = (p[2] << 8) | p[3]  # remaining length < 128 in these captures
                pid = p[4 + topic_len:6 + topic_len]
                conn.sendall(bytes([0x40, 0x02]) + pid)
            elif kind == 8:
                conn.sendall(bytes([0x90, 0x03]) + p[2:4] + bytes([p[-1]]))
                break  # mosquitto_sub would wait forever for messages
            elif kind == 14:
                break
    except socket.timeout:
        pass
    proc.kill()
    proc.wait()
    conn.close()
    server.close()
    return packets

out = []
def emit(name, packet):
    out.append({"name": name, "hex": packet.hex()})

will = ["--will-topic", "nanotcp/status", "--will-payload", "offline", "--will-qos", "1", "--will-retain"]
p = capture(["mosquitto_pub", "-V", "mqttv311", "-i", "nanotcp", "-k", "30", "-c", "-u", "user", "-P", "secret"] + will
            + ["-t", "sensors/t1", "-m", "hello", "-q", "1"])
emit("connect_full", p[0])
emit("publish_qos1_id1", p[1])
emit("disconnect", p[-1])
p = capture(["mosquitto_pub", "-V", "mqttv311", "-i", "nanotcp", "-k", "60", "-t", "sensors/t1", "-m", "21.5", "-q", "0", "-r"])
emit("connect_clean_minimal", p[0])
emit("publish_qos0_retain", p[1])
p = capture(["mosquitto_sub", "-V", "mqttv311", "-i", "nanotcp", "-k", "30", "-t", "cmd/t1", "-q", "1"])
emit("subscribe_qos1_id1", p[1])
for line in out:
    print(json.dumps(line))
