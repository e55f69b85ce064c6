/**
 * The data plane: a TLS reverse proxy and TCP forwarder on Netty, behind the {@link
 * dev.hearth.startd.net.proxy.Proxy} facade.
 *
 * <p><b>What it owns.</b> Its listening sockets, the client and upstream connections, one event
 * loop group (io_uring, else epoll, else NIO: {@code UpstreamSockets.Transport.best()}; one thread
 * per processor), a virtual-thread executor for fetching certificates, and a pooled direct-buffer
 * allocator. It owns no routing policy and no certificates: the {@link
 * dev.hearth.startd.net.proxy.Router} (an immutable table its owner swaps) decides per connection,
 * the {@link dev.hearth.startd.net.proxy.CertificateSource} signs.
 *
 * <p><b>A connection's life.</b> {@code FrontendInitializer} counts it against the per-IP and total
 * limits (over: closed before any read), adds {@code Timeouts} (header deadline from accept, idle
 * timeout), then by listener kind: TLS — {@code ClientHelloRouter} reads the ClientHello, routes on
 * its SNI and becomes an {@code SslHandler} (then HTTP/1.1, HTTP/2 or a relay by ALPN and route) or
 * a passthrough relay that replays the hello; plain — routed at once; redirect — a one-request
 * HTTP/1.1 handler. {@code Http1Frontend} is the hot path for HTTP/1.x clients, bytes in and out
 * (see its essay); HTTP/2 streams go through Netty's codecs to {@code Http2StreamFrontend}.
 *
 * <p><b>Threading and invariants.</b> Everything about a connection happens on its event loop;
 * upstream connections are opened on the client's loop and pooled per loop, so no lock is taken on
 * the data path (STYLE §8). The only state shared between loops is the connection count ({@code
 * ConnectionGate}, concurrent map) and the certificate cache ({@code TlsContexts}, concurrent map
 * of futures). Nothing blocks an event loop: certificate fetches run on virtual threads and the
 * waiting connection reads nothing meanwhile. No queue is unbounded: reads are paused (auto-read
 * off, or explicit reads) whenever the other side is not writable, so each direction of each
 * connection buffers at most the write-buffer water mark plus one read. No static mutable state.
 *
 * <p><b>Must not.</b> Touch the database, the file system or anything that blocks, on an event
 * loop; log request contents or keys.
 */
@NullMarked
package dev.hearth.startd.net.proxy;

import org.jspecify.annotations.NullMarked;
