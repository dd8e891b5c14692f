#!/usr/bin/python3
# Golden frames for the wire-layer tests, built and dissected by scapy (Debian python3-scapy 2.5.0),
# an encoder independent of ours. Regenerate with:
#   /usr/bin/python3 tests/NanoTcp.Tests/Wire/Golden/make_golden.py > tests/NanoTcp.Tests/Wire/Golden/frames.jsonl
# Each line: name, the frame as hex, and the field values scapy reads back from those bytes.
import json
from scapy.all import Ether, ARP, IP, ICMP, UDP, TCP, Raw, Dot1Q, IPOption_Router_Alert, raw

A = "02:00:00:00:00:01"   # our side
B = "52:54:00:12:34:56"   # peer
IA, IB = "192.168.7.2", "192.168.7.1"

frames = [
    ("arp_request", Ether(src=B, dst="ff:ff:ff:ff:ff:ff") / ARP(op=1, hwsrc=B, psrc=IB, hwdst="00:00:00:00:00:00", pdst=IA)),
    ("arp_reply", Ether(src=A, dst=B) / ARP(op=2, hwsrc=A, psrc=IA, hwdst=B, pdst=IB)),
    ("arp_request_padded", Ether(src=B, dst="ff:ff:ff:ff:ff:ff") / ARP(op=1, hwsrc=B, psrc=IB, pdst=IA) / Raw(b"\x00" * 18)),
    ("icmp_echo_request", Ether(src=B, dst=A) / IP(src=IB, dst=IA, id=0x1c46, ttl=64, flags="DF") / ICMP(type=8, id=0x1234, seq=7) / Raw(bytes(range(56)))),
    ("icmp_echo_reply", Ether(src=A, dst=B) / IP(src=IA, dst=IB, id=0x0001, ttl=64) / ICMP(type=0, id=0x1234, seq=7) / Raw(bytes(range(56)))),
    ("icmp_port_unreachable", Ether(src=A, dst=B) / IP(src=IA, dst=IB, id=2, ttl=64) / ICMP(type=3, code=3) /
        IP(src=IB, dst=IA, id=99, ttl=64) / UDP(sport=5353, dport=9999, len=12, chksum=0x1234) / Raw(b"abcd")),
    ("icmp_time_exceeded", Ether(src=B, dst=A) / IP(src="10.0.0.1", dst=IA, id=3, ttl=255) / ICMP(type=11, code=0) /
        IP(src=IA, dst="10.9.9.9", id=5, ttl=1) / UDP(sport=33434, dport=33435, len=8)),
    ("udp_dns_query", Ether(src=A, dst=B) / IP(src=IA, dst=IB, id=0x4321, ttl=64) / UDP(sport=49152, dport=53) /
        Raw(bytes.fromhex("abcd01000001000000000000076578616d706c6503636f6d0000010001"))),
    ("udp_no_checksum", Ether(src=B, dst=A) / IP(src=IB, dst=IA, id=9, ttl=64) / UDP(sport=7, dport=7, chksum=0) / Raw(b"hello")),
    ("ipv4_options_udp", Ether(src=B, dst=A) / IP(src=IB, dst=IA, id=10, ttl=1, options=[IPOption_Router_Alert()]) / UDP(sport=1000, dport=2000) / Raw(b"opt")),
    ("ipv4_fragment_first", Ether(src=B, dst=A) / IP(src=IB, dst=IA, id=11, ttl=64, flags="MF", frag=0, proto=17) / Raw(b"\x04\x00\x00\x07\x00\x30\x00\x00" + b"x" * 24)),
    ("ipv4_fragment_last", Ether(src=B, dst=A) / IP(src=IB, dst=IA, id=11, ttl=64, flags=0, frag=4, proto=17) / Raw(b"y" * 16)),
    ("tcp_syn_linux", Ether(src=B, dst=A) / IP(src=IB, dst=IA, id=0, ttl=64, flags="DF") /
        TCP(sport=41234, dport=7, seq=0x9a3b1c2d, ack=0, flags="S", window=64240,
            options=[("MSS", 1460), ("SAckOK", b""), ("Timestamp", (2718281828, 0)), ("NOP", None), ("WScale", 7)])),
    ("tcp_synack_mss", Ether(src=A, dst=B) / IP(src=IA, dst=IB, id=0, ttl=64) /
        TCP(sport=7, dport=41234, seq=0x00010000, ack=0x9a3b1c2e, flags="SA", window=2048, options=[("MSS", 1460)])),
    ("tcp_psh_ack_data", Ether(src=B, dst=A) / IP(src=IB, dst=IA, id=0x2000, ttl=64, flags="DF") /
        TCP(sport=41234, dport=7, seq=0x9a3b1c2e, ack=0x00010001, flags="PA", window=502) / Raw(b"hello, nanoTcp\n")),
    ("tcp_ack_sack", Ether(src=B, dst=A) / IP(src=IB, dst=IA, id=0x2001, ttl=64) /
        TCP(sport=41234, dport=7, seq=1000, ack=5000, flags="A", window=1000,
            options=[("NOP", None), ("NOP", None), ("SAck", (6000, 7000, 8000, 9000))])),
    ("tcp_fin_ack", Ether(src=A, dst=B) / IP(src=IA, dst=IB, id=5, ttl=64) /
        TCP(sport=7, dport=41234, seq=0xfffffff0, ack=0x0000000f, flags="FA", window=2048)),
    ("tcp_rst", Ether(src=A, dst=B) / IP(src=IA, dst=IB, id=6, ttl=64) / TCP(sport=80, dport=50000, seq=0, ack=12345, flags="RA", window=0)),
    ("tcp_urgent", Ether(src=B, dst=A) / IP(src=IB, dst=IA, id=7, ttl=64) /
        TCP(sport=41234, dport=9, seq=100, ack=200, flags="PAU", window=512, urgptr=3) / Raw(b"!urgent")),
    ("vlan_tagged_arp", Ether(src=B, dst="ff:ff:ff:ff:ff:ff") / Dot1Q(vlan=10) / ARP(op=1, hwsrc=B, psrc=IB, pdst=IA)),
]

def fields(pkt):
    f = {}
    e = pkt[Ether]
    f["eth.dst"], f["eth.src"], f["eth.type"] = e.dst, e.src, e.type
    if Dot1Q in pkt:
        f["vlan.id"], f["vlan.type"] = pkt[Dot1Q].vlan, pkt[Dot1Q].type
    if ARP in pkt and not Dot1Q in pkt:
        a = pkt[ARP]
        f.update({"arp.op": a.op, "arp.sha": a.hwsrc, "arp.spa": a.psrc, "arp.tha": a.hwdst, "arp.tpa": a.pdst})
    if IP in pkt:
        i = pkt[IP]
        f.update({"ip.ihl": i.ihl, "ip.tos": i.tos, "ip.len": i.len, "ip.id": i.id, "ip.flags": int(i.flags),
                  "ip.frag": i.frag, "ip.ttl": i.ttl, "ip.proto": i.proto, "ip.chksum": i.chksum,
                  "ip.src": i.src, "ip.dst": i.dst})
        if i.frag != 0 or int(i.flags) & 1:
            return f
    if ICMP in pkt:
        c = pkt[ICMP]
        f.update({"icmp.type": c.type, "icmp.code": c.code, "icmp.chksum": c.chksum})
        if c.type in (0, 8):
            f.update({"icmp.id": c.id, "icmp.seq": c.seq, "icmp.payload_len": len(c.payload)})
        else:
            inner = c.payload
            f.update({"icmp.inner.src": inner.src, "icmp.inner.dst": inner.dst, "icmp.inner.proto": inner.proto,
                      "icmp.inner.sport": inner.payload.sport, "icmp.inner.dport": inner.payload.dport})
        return f
    if UDP in pkt:
        u = pkt[UDP]
        f.update({"udp.sport": u.sport, "udp.dport": u.dport, "udp.len": u.len, "udp.chksum": u.chksum,
                  "udp.payload": bytes(u.payload).hex()})
    if TCP in pkt:
        t = pkt[TCP]
        f.update({"tcp.sport": t.sport, "tcp.dport": t.dport, "tcp.seq": t.seq, "tcp.ack": t.ack,
                  "tcp.dataofs": t.dataofs, "tcp.flags": int(t.flags), "tcp.window": t.window,
                  "tcp.chksum": t.chksum, "tcp.urgptr": t.urgptr, "tcp.payload": bytes(t.payload).hex()})
        for name, value in t.options:
            if name == "MSS": f["tcp.opt.mss"] = value
            elif name == "WScale": f["tcp.opt.wscale"] = value
            elif name == "SAckOK": f["tcp.opt.sackok"] = 1
            elif name == "Timestamp": f["tcp.opt.tsval"], f["tcp.opt.tsecr"] = value
            elif name == "SAck": f["tcp.opt.sack"] = list(value)
        f["tcp.options_order"] = [name for name, _ in t.options]
    return f

for name, pkt in frames:
    data = raw(pkt)
    parsed = Ether(data)   # read back from the bytes, so the fields are scapy's dissection
    print(json.dumps({"name": name, "hex": data.hex(), "fields": fields(parsed)}, sort_keys=True))
