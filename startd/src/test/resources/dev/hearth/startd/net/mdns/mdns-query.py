#!/usr/bin/env python3
"""A small independent mDNS client for MdnsIT, run inside the test's network namespace.

  mdns-query.py query LOCAL_ADDR NAME TYPE SECONDS
      sends one legacy query (from an ephemeral port, RFC 6762 §6.7) for NAME (A or AAAA) to
      224.0.0.251:5353 out of the interface holding LOCAL_ADDR, and prints every address record
      of the first reply received within SECONDS as "NAME TYPE TTL ADDRESS" (dig cannot do this: it
      connects its socket to 224.0.0.251 and so drops the unicast replies).
  mdns-query.py listen LOCAL_ADDR SECONDS
      joins the group on that interface at port 5353 and prints the address records of every
      multicast response heard within SECONDS, in the same format (announcements and goodbyes).
"""
import socket, struct, sys, time

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
        for r in records(data):
            print(*r, flush=True)
        if first_only:
            break

def main():
    mode, local = sys.argv[1], sys.argv[2]
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_IF, socket.inet_aton(local))
    if mode == "query":
        name, qtype, seconds = sys.argv[3], {"A": 1, "AAAA": 28}[sys.argv[4]], float(sys.argv[5])
        s.bind((local, 0))
        q = struct.pack("!6H", 0x1234, 0, 1, 0, 0, 0)
        q += b"".join(bytes([len(l)]) + l.encode() for l in name.split(".")) + b"\0"
        q += struct.pack("!HH", qtype, 1)
        s.sendto(q, (GROUP, 5353))
        collect(s, seconds, first_only=True)
    else:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind(("", 5353))
        s.setsockopt(socket.IPPROTO_IP, socket.IP_ADD_MEMBERSHIP,
                     socket.inet_aton(GROUP) + socket.inet_aton(local))
        print("listening", flush=True)
        collect(s, float(sys.argv[3]))

main()
