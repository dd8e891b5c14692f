#!/usr/bin/python3
# An independent mDNS querier (python3-zeroconf) for the interop test: asks for the A record of NAME
# on the interface with address IFADDR, three times at most, and prints the addresses it cached.
# Usage: mdns_query.py NAME IFADDR   (exit 0 with "A <address> ttl <ttl>" lines, exit 1 when none came)
import sys
import time
from zeroconf import Zeroconf, IPVersion, DNSOutgoing, DNSQuestion, const

name, ifaddr = sys.argv[1].rstrip(".") + ".", sys.argv[2]
zc = Zeroconf(interfaces=[ifaddr], ip_version=IPVersion.V4Only)
try:
    found = []
    for attempt in range(3):
        out = DNSOutgoing(const._FLAGS_QR_QUERY)
        out.add_question(DNSQuestion(name, const._TYPE_A, const._CLASS_IN))
        zc.send(out)
        time.sleep(1)
        found = zc.cache.get_all_by_details(name, const._TYPE_A, const._CLASS_IN)
        if found:
            break
    for record in found:
        print("A", ".".join(str(b) for b in record.address), "ttl", record.ttl, "unique", record.unique)
    sys.exit(0 if found else 1)
finally:
    zc.close()
