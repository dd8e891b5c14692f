#!/usr/bin/python3
# Golden NTP packets for the SNTP client's tests, built by scapy's NTP layer (Debian python3-scapy 2.5.0),
# an encoder independent of ours. Regenerate with:
#   /usr/bin/python3 tests/NanoTcp.Tests/Sntp/Golden/make_ntp_golden.py > tests/NanoTcp.Tests/Sntp/Golden/ntp.jsonl
# Each line: name, the UDP payload as hex, and the fields as scapy reads them back; the receive and
# transmit timestamps as Unix milliseconds (rounded down) from scapy's reading, with RFC 4330 section 3's
# era rule (seconds below 2^31 are after 2036). The origin timestamp of replies is zero here: a test copies
# its client's nonce into bytes 24-31, as a server would.
import json
from decimal import Decimal
from datetime import datetime, timezone
from scapy.layers.ntp import NTPHeader
from scapy.all import raw

NTP_EPOCH = datetime(1900, 1, 1, tzinfo=timezone.utc)
ERA = 2 ** 32

def ntp(when):
    """An NTP timestamp (era-relative seconds with fraction) for a UTC datetime, from the RFC 5905 definition."""
    seconds = (when - NTP_EPOCH).total_seconds()
    return seconds % ERA

def unix_ms(value):
    """scapy's reading of a timestamp field (seconds since 1900 in the packet's era) as Unix milliseconds."""
    seconds = Decimal(value)
    if seconds < 2 ** 31:
        seconds += ERA
    return int((seconds - 2208988800) * 1000 // 1)

RECV = datetime(2026, 12, 1, 11, 0, 0, 250000, tzinfo=timezone.utc)
SENT = datetime(2026, 12, 1, 11, 0, 0, 251500, tzinfo=timezone.utc)
REF = datetime(2026, 12, 1, 10, 59, 0, tzinfo=timezone.utc)
RECV_ERA1 = datetime(2040, 6, 30, 12, 0, 0, 500000, tzinfo=timezone.utc)   # after 2036-02-07: era 1
SENT_ERA1 = datetime(2040, 6, 30, 12, 0, 0, 502000, tzinfo=timezone.utc)

def reply(**fields):
    base = dict(leap=0, version=4, mode=4, stratum=2, poll=6, precision=0xEC, delay=0.0123, dispersion=0.0456,
                id="10.0.0.1", ref=ntp(REF), orig=0, recv=ntp(RECV), sent=ntp(SENT))
    base.update(fields)
    return NTPHeader(**base)

def kiss(code):
    return reply(leap=3, stratum=0, ref_id=code, id=None, ref=0, recv=0, sent=0, delay=0, dispersion=0)

cases = [
    ("client_request", NTPHeader(leap=0, version=4, mode=3, stratum=0, poll=0, precision=0, delay=0, dispersion=0,
                                 ref_id=b"\0\0\0\0", ref=0, orig=0, recv=0, sent=0), RECV, SENT),
    ("server_reply", reply(), RECV, SENT),
    ("server_reply_v3", reply(version=3), RECV, SENT),
    ("server_reply_era1", reply(recv=ntp(RECV_ERA1), sent=ntp(SENT_ERA1), ref=ntp(RECV_ERA1)), RECV_ERA1, SENT_ERA1),
    ("kiss_rate", kiss(b"RATE"), RECV, SENT),
    ("kiss_deny", kiss(b"DENY"), RECV, SENT),
    ("kiss_rstr", kiss(b"RSTR"), RECV, SENT),
    ("kiss_init", kiss(b"INIT"), RECV, SENT),
    ("unsynchronized", reply(leap=3), RECV, SENT),
    ("stratum_16", reply(stratum=16), RECV, SENT),
    ("zero_transmit", reply(sent=0), RECV, SENT),
    ("zero_receive", reply(recv=0), RECV, SENT),
    ("far_from_reference", reply(delay=1.5, dispersion=0.4), RECV, SENT),
    ("client_mode", reply(mode=3), RECV, SENT),
    ("symmetric_active", reply(mode=1), RECV, SENT),
    ("broadcast_mode", reply(mode=5), RECV, SENT),
    ("version_2", reply(version=2), RECV, SENT),
]

for name, packet, _recv, _sent in cases:
    data = raw(packet)
    back = NTPHeader(data)
    print(json.dumps({
        "name": name, "hex": data.hex(), "leap": back.leap, "version": back.version, "mode": back.mode,
        "stratum": back.stratum, "recv_unix_ms": unix_ms(back.recv), "sent_unix_ms": unix_ms(back.sent),
    }))
