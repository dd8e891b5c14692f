#!/usr/bin/python3
# Golden mDNS messages for the responder's tests, built by scapy's DNS layer (Debian python3-scapy 2.5.0),
# an encoder independent of ours. Regenerate with:
#   /usr/bin/python3 tests/NanoTcp.Tests/Mdns/Golden/make_mdns_golden.py > tests/NanoTcp.Tests/Mdns/Golden/mdns.jsonl
# Each line: name and the UDP payload as hex. Queries ask about nanotcp.local (the device, 10.0.0.2);
# responses are what RFC 6762 says the device sends, with names uncompressed.
import json
from scapy.layers.dns import DNS, DNSQR, DNSRR, DNSRRNSEC, dns_compress
from scapy.all import raw

NAME, ADDRESS = "nanotcp.local.", "10.0.0.2"
QU, FLUSH = 0x8000, 0x8000          # RFC 6762 5.4 (question), 10.2 (record)

def query(*questions, an=None, id=0, **flags):
    qd = questions[0]
    for q in questions[1:]:
        qd = qd / q   # scapy 2.5 chains records
    return DNS(id=id, qr=0, rd=0, qd=qd, an=an, **flags)

def a_record(ttl, rclass=1 | FLUSH, rdata=ADDRESS):
    return DNSRR(rrname=NAME, type="A", rclass=rclass, ttl=ttl, rdata=rdata)

def nsec(ttl):
    return DNSRRNSEC(rrname=NAME, rclass=1 | FLUSH, ttl=ttl, nextname=NAME, typebitmaps=[1])  # RFC 6762 6.1: only A

def response(an, ar=None, id=0, qd=None):
    return DNS(id=id, qr=1, aa=1, rd=0, qd=qd, an=an, ar=ar)

cases = [
    ("query_a", query(DNSQR(qname=NAME, qtype="A", qclass=1))),
    ("query_a_mixed_case", query(DNSQR(qname="NanoTCP.Local.", qtype="A", qclass=1))),
    ("query_a_qu", query(DNSQR(qname=NAME, qtype="A", qclass=1 | QU))),
    ("query_any", query(DNSQR(qname=NAME, qtype="ALL", qclass=1))),
    ("query_a_class_any", query(DNSQR(qname=NAME, qtype="A", qclass="ANY"))),
    ("query_aaaa", query(DNSQR(qname=NAME, qtype="AAAA", qclass=1))),
    ("query_other_name", query(DNSQR(qname="other.local.", qtype="A", qclass=1))),
    ("query_other_type", query(DNSQR(qname=NAME, qtype="TXT", qclass=1))),
    # Two questions, the second compressed against the first (RFC 1035 4.1.4), as queriers send them.
    ("query_compressed", dns_compress(query(DNSQR(qname="other.nanotcp.local.", qtype="A", qclass=1),
                                            DNSQR(qname=NAME, qtype="A", qclass=1)))),
    ("query_known_answer_fresh", query(DNSQR(qname=NAME, qtype="A", qclass=1), an=a_record(100, rclass=1))),
    ("query_known_answer_stale", query(DNSQR(qname=NAME, qtype="A", qclass=1), an=a_record(59, rclass=1))),
    ("query_known_answer_other_address", query(DNSQR(qname=NAME, qtype="A", qclass=1), an=a_record(120, rclass=1, rdata="10.0.0.9"))),
    ("query_legacy", query(DNSQR(qname=NAME, qtype="A", qclass=1), id=0x1234)),
    ("query_opcode_1", query(DNSQR(qname=NAME, qtype="A", qclass=1), opcode=1)),
    ("query_rcode_1", query(DNSQR(qname=NAME, qtype="A", qclass=1), rcode=1)),
    ("response_from_other_host", response(a_record(120, rdata="10.0.0.9"))),
    ("response_a", response(a_record(120), ar=nsec(120))),
    ("response_nsec", response(nsec(120))),
    ("response_goodbye", response(a_record(0), ar=nsec(0))),
    ("response_legacy", response(a_record(10, rclass=1), id=0x1234, qd=DNSQR(qname=NAME, qtype="A", qclass=1))),
]

for name, message in cases:
    print(json.dumps({"name": name, "hex": raw(message).hex()}))
