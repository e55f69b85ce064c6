/**
 * {@code <hostname>.local} over multicast DNS (RFC 6762): a small responder of our own that answers
 * A and AAAA queries for the server's name on exactly the interfaces the network subsystem gives
 * it, each with that interface's addresses, announces a rename at once with a goodbye for the old
 * name, and follows interfaces as they come and go. It owns its sockets and threads and nothing
 * else: it never reads the database, enumerates interfaces or touches one it was not given.
 *
 * <p>Why not JmDNS or avahi (measured in network namespaces, docs/networking.md "mDNS"): JmDNS
 * 3.6.5 needs one instance (3 threads, a wildcard socket) per address, so 6 threads per dual-stack
 * interface; it cannot rename, and close + create took 6.0 s + 4.0 s of probing before the new name
 * answered; it ignores unicast queries and silently renames itself ({@code name-2}) on a conflict,
 * so the name would no longer match the database. avahi-daemon answers correctly (A/AAAA per
 * interface, legacy unicast, goodbyes, 3.6 MB RSS, 1 thread, first answer 1.0 s after start), but
 * without D-Bus a rename or a new interface set means a restart (2.0 s until the new name answers)
 * and it is one more daemon to confine, supervise and configure. This responder answers a rename in
 * the same call, adds 1 virtual thread per interface and family, and no library.
 *
 * <p>Every LAN client is hostile (ARCHITECTURE.md, threat model): queries are read by a total,
 * allocation-bounded parser ({@link dev.hearth.startd.net.mdns.DnsWire}, fuzzed in {@code
 * DnsWireTest}); answers are paced per interface ({@link dev.hearth.startd.net.mdns.AnswerLimits}:
 * a record multicast at most once a second, RFC 6762 §6; unicast by token buckets per client and
 * per interface), so a flood of queries is not a flood of answers ({@code MdnsIT}); a query that
 * lists our record with at least half its TTL gets no answer (§7.1).
 *
 * <p>Not done: probing and conflict detection (RFC 6762 §8.1, 9), known answers continued in
 * follow-up packets (TC bit, §7.2), multicasting a QU answer that was not multicast lately (§5.4),
 * NSEC negative answers, unicast queries sent to port 5353 of our address, services (DNS-SD).
 */
@NullMarked
package dev.hearth.startd.net.mdns;

import org.jspecify.annotations.NullMarked;
