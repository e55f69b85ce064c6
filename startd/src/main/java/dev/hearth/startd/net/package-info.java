/**
 * The host's packet rules for services: one nftables table, {@code inet hearth}, that {@code
 * startd} owns alone, in the network namespace of the containers' bridge. Today it holds the kernel
 * (DNAT) port forwards: every port range, and the UDP side of every raw binding (issue 12 §5);
 * issue 15's firewall adds its chains to the same table. The whole table is replaced in one {@code
 * nft -f} transaction from the state the caller passes, so it never drifts from that state and a
 * restart rebuilds it. Nothing outside the table is read or written.
 *
 * <p>Reachability (docs/startd.md, "Port forwards"): DNAT applies to packets addressed to one of
 * the namespace's own addresses, from the LAN (prerouting) or from the namespace itself (output),
 * never to 127.0.0.0/8: loopback DNAT needs {@code route_localnet=1}, which would let a LAN client
 * reach the host's loopback-only services (CVE-2020-8558), so it is not used.
 */
@NullMarked
package dev.hearth.startd.net;

import org.jspecify.annotations.NullMarked;
