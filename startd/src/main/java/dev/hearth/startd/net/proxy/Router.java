package dev.hearth.startd.net.proxy;

import org.jspecify.annotations.Nullable;

/**
 * Decides what to do with an accepted connection. Called once per connection, on an event loop
 * (after the ClientHello for a {@link Listener.Tls}): it must not block, so it reads an immutable
 * route table swapped in by its owner.
 */
public interface Router {
  /** The route, or null to refuse: the connection is closed (for TLS after its ClientHello). */
  @Nullable Route route(Connection c);
}
