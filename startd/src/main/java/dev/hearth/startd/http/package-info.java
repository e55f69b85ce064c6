/**
 * The HTTP face of the daemon (rpc.md §1.1), on Jetty 12 core handlers with virtual threads: {@code
 * POST /rpc/v1} (JSON-RPC), {@code /ws/rpc/<guid>} and {@code /rest/rpc/<guid>} (continuations),
 * {@code /static/…} (root CA, info page) and the UI's static files.
 *
 * <p>Every input is bounded: request bodies, headers, idle connections, and frames a WebSocket
 * client has not read. Cookies it sets are {@code HttpOnly}, {@code SameSite=Strict}, host-only,
 * and over TLS {@code Secure} and named with the {@code __Host-} prefix. What a browser sends for a
 * page of another origin is refused on every route that acts ({@link
 * dev.hearth.startd.http.SameOrigin}).
 */
@NullMarked
package dev.hearth.startd.http;

import org.jspecify.annotations.NullMarked;
