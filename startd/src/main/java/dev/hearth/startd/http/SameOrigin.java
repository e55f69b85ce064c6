package dev.hearth.startd.http;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Optional;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.HostPort;
import org.jspecify.annotations.Nullable;

/**
 * Refuses what a browser sends on behalf of a page of another origin (cross-site request forgery).
 * {@code SameSite=Strict} is not enough: a service's web page on this host at another port is the
 * same <em>site</em>, so the admin's session cookie rides along with whatever it sends.
 *
 * <p>A request is refused when an {@code Origin} header is present and is not this request's own
 * origin, or when a {@code Sec-Fetch-Site} header is present and is neither {@code same-origin} nor
 * {@code none} (the user typed the address). Requests with neither header are not made by a browser
 * for a page (the CLI, curl), so no page can lend them the admin's cookie; they pass.
 *
 * <p>The own origin is the request's scheme and its {@code Host} header, not a list of the server's
 * names. That is enough because the session cookie is host-only (it has no {@code Domain}): a
 * browser sends it only to the very host that set it, so a request carrying it was addressed to
 * that host, and only a page of that scheme, host and port, which is the daemon's own UI, has an
 * equal {@code Origin}. Pages cannot set {@code Origin} or {@code Host} themselves. A list of names
 * would also have to follow renames, address changes and new domains, and would lock the UI out
 * whenever it lagged behind.
 */
final class SameOrigin {
  private static final int MAX_SHOWN = 100; // of a header value, in a refusal's message

  private SameOrigin() {}

  /** Why the request must be refused (with 403), or empty if it may go on. */
  static Optional<String> refusal(Request request) {
    List<String> sites = request.getHeaders().getValuesList("Sec-Fetch-Site");
    for (String site : sites) {
      if (!site.equals("same-origin") && !site.equals("none")) {
        return Optional.of(
            "refused: the browser marks this request Sec-Fetch-Site "
                + shown(site)
                + "; only this server's own pages may call it");
      }
    }
    for (String origin : request.getHeaders().getValuesList(HttpHeader.ORIGIN)) {
      if (!isOwn(origin, request)) {
        return Optional.of(
            "refused: Origin "
                + shown(origin)
                + " is not the origin this request was sent to; only pages of this server may"
                + " call it");
      }
    }
    return Optional.empty();
  }

  /** Whether {@code origin} is this request's scheme, host (as in {@code Host}) and port. */
  private static boolean isOwn(String origin, Request request) {
    String scheme = request.isSecure() ? "https" : "http";
    int defaultPort = request.isSecure() ? 443 : 80;
    String host = request.getHeaders().get(HttpHeader.HOST);
    if (host == null) {
      return false; // HTTP/1.0: nothing to compare with
    }
    URI parsed;
    HostPort own;
    try {
      parsed = new URI(origin);
      own = new HostPort(host);
    } catch (URISyntaxException | IllegalArgumentException e) {
      return false; // "null" (a sandboxed or opaque origin) and garbage alike
    }
    return scheme.equalsIgnoreCase(parsed.getScheme())
        && parsed.getHost() != null
        && parsed.getRawUserInfo() == null
        && (parsed.getRawPath() == null || parsed.getRawPath().isEmpty())
        && parsed.getRawQuery() == null
        && bare(parsed.getHost()).equalsIgnoreCase(bare(own.getHost()))
        && (parsed.getPort() < 0 ? defaultPort : parsed.getPort()) == own.getPort(defaultPort);
  }

  /** An IPv6 literal without its brackets, so both spellings compare equal. */
  private static String bare(@Nullable String host) {
    if (host == null) {
      return "";
    }
    return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
  }

  private static String shown(String value) {
    return value.length() > MAX_SHOWN ? value.substring(0, MAX_SHOWN) + "…" : value;
  }
}
