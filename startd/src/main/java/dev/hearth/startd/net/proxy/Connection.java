package dev.hearth.startd.net.proxy;

import java.net.InetSocketAddress;
import org.jspecify.annotations.Nullable;

/**
 * An accepted client connection as the {@link Router} sees it.
 *
 * @param sni the lower-case server name of the ClientHello; null on a plain listener or when the
 *     client sent none (it was given an IP address)
 * @param tls whether the connection came to a {@link Listener.Tls}
 */
public record Connection(
    InetSocketAddress local, InetSocketAddress remote, @Nullable String sni, boolean tls) {}
