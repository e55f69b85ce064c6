package dev.hearth.startd.net.proxy;

/**
 * A snapshot of the proxy's load.
 *
 * @param clientConnections open accepted connections (all listeners)
 * @param upstreamConnections open connections to upstreams, in use or pooled
 * @param pendingWriteBytes bytes queued for writing on client and upstream sockets (the proxy's
 *     buffering: bounded by the write-buffer high water mark per connection)
 * @param directMemoryBytes direct memory held by the proxy's own pooled allocator (chunks)
 */
public record ProxyStats(
    int clientConnections,
    int upstreamConnections,
    long pendingWriteBytes,
    long directMemoryBytes) {}
