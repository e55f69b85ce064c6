#!/usr/bin/env python3
"""A small independent mDNS client for MdnsIT, run inside the test's network namespace.

  mdns-query.py query LOCAL_ADDR NAME TYPE SECONDS [--mdns | --qu] [--count N] [--all]
                [--known TTL:ADDRESS]
      sends a query for NAME (A or AAAA) to 224.0.0.251:5353 out of the interface holding
      LOCAL_ADDR and prints every address record of the first reply received within SECONDS as
      "NAME TYPE TTL ADDRESS" (dig cannot do this: it connects its socket to 224.0.0.251 and so
      drops the unicast replies). By default the query is legacy, from an ephemeral port
      (RFC 6762 §6.7). --mdns sends it from port 5353 with the group joined, so multicast answers
      are heard; --qu sends it from LOCAL_ADDR:5353 with the unicast-response bit (§5.4) and hears
      only unicast replies. --count sends N copies back to back (a flood), or evenly over --spread
      SECONDS; --all prints the
      records of every reply until SECONDS are up, not just the first. --known adds a known answer
      (§7.1) for NAME with that TTL and address.
  mdns-query.py listen LOCAL_ADDR SECONDS
      joins the group on that interface at port 5353 and prints the address records of every
      multicast response heard within SECONDS, in the same format (announcements and goodbyes).
"""
import argparse, ipaddress, socket, struct, sys, time

GROUP = "224.0.0.251"

def name_at(buf, off):
    labels, jumped, end = [], False, off
    for _ in range(64):
        n = buf[off]
        if n == 0:
            off += 1
            break
        if n & 0xC0 == 0xC0:
            if not jumped:
                end = off + 2
            off, jumped = ((n & 0x3F) << 8) | buf[off + 1], True
            continue
        labels.append(buf[off + 1:off + 1 + n].decode())
        off += 1 + n
    return ".".join(labels), (end if jumped else off)

def records(buf):
    qd, an, ns, ar = struct.unpack("!4H", buf[4:12])
    if not buf[2] & 0x80:
        return
    off = 12
    for _ in range(qd):
        _, off = name_at(buf, off)
        off += 4
    for _ in range(an + ns + ar):
        name, off = name_at(buf, off)
        rtype, _, ttl, rdlen = struct.unpack("!HHIH", buf[off:off + 10])
        rdata = buf[off + 10:off + 10 + rdlen]
        off += 10 + rdlen
        if rtype == 1:
            yield name, "A", ttl, socket.inet_ntop(socket.AF_INET, rdata)
        elif rtype == 28:
            yield name, "AAAA", ttl, socket.inet_ntop(socket.AF_INET6, rdata)

def collect(sock, seconds, first_only=False):
    deadline = time.monotonic() + seconds
    while (left := deadline - time.monotonic()) > 0:
        sock.settimeout(left)
        try:
            data, _ = sock.recvfrom(9000)
        except socket.timeout:
            break
        found = list(records(data))
        for r in found:
            print(*r, flush=True)
        if first_only and found:
            break

def encode(name):
    return b"".join(bytes([len(l)]) + l.encode() for l in name.split(".")) + b"\0"

def query(a):
    qtype = {"A": 1, "AAAA": 28}[a.type]
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_IF, socket.inet_aton(a.local))
    if a.mdns:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind(("", 5353))
        s.setsockopt(socket.IPPROTO_IP, socket.IP_ADD_MEMBERSHIP,
                     socket.inet_aton(GROUP) + socket.inet_aton(a.local))
    elif a.qu:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind((a.local, 5353))
    else:
        s.bind((a.local, 0))
    start, known = time.monotonic(), []
    if a.known:
        ttl, addr = a.known.split(":", 1)
        rdata = ipaddress.ip_address(addr).packed
        rtype = 1 if len(rdata) == 4 else 28
        known.append(encode(a.name) + struct.pack("!HHIH", rtype, 1, int(ttl), len(rdata)) + rdata)
    q = struct.pack("!6H", 0 if a.mdns or a.qu else 0x1234, 0, 1, len(known), 0, 0)
    q += encode(a.name) + struct.pack("!HH", qtype, 0x8001 if a.qu else 1) + b"".join(known)
    for i in range(a.count):
        if a.spread:
            time.sleep(max(0.0, start + a.spread * i / a.count - time.monotonic()))
        s.sendto(q, (GROUP, 5353))
    collect(s, a.seconds, first_only=not a.all)

def listen(a):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("", 5353))
    s.setsockopt(socket.IPPROTO_IP, socket.IP_ADD_MEMBERSHIP,
                 socket.inet_aton(GROUP) + socket.inet_aton(a.local))
    print("listening", flush=True)
    collect(s, a.seconds)

p = argparse.ArgumentParser()
sub = p.add_subparsers(dest="mode", required=True)
q = sub.add_parser("query")
q.add_argument("local"); q.add_argument("name"); q.add_argument("type")
q.add_argument("seconds", type=float)
mode = q.add_mutually_exclusive_group()
mode.add_argument("--mdns", action="store_true"); mode.add_argument("--qu", action="store_true")
q.add_argument("--count", type=int, default=1); q.add_argument("--all", action="store_true")
q.add_argument("--known"); q.add_argument("--spread", type=float)
q.set_defaults(run=query)
l = sub.add_parser("listen")
l.add_argument("local"); l.add_argument("seconds", type=float)
l.set_defaults(run=listen)
a = p.parse_args()
a.run(a)
