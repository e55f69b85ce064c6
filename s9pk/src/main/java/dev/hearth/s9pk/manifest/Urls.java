package dev.hearth.s9pk.manifest;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Map;

/**
 * URL fields as upstream writes them: its {@code Url} type prints the WHATWG serialization, so
 * {@code https://Example.com:443} becomes {@code https://example.com/}. This covers what manifests
 * contain (scheme and host case, default port, empty path of special schemes); anything else is
 * kept as given.
 */
final class Urls {
  private static final Map<String, Integer> DEFAULT_PORTS =
      Map.of("http", 80, "https", 443, "ws", 80, "wss", 443, "ftp", 21);

  private Urls() {}

  static String normalize(String field, String url) {
    URI uri;
    try {
      uri = new URI(url.strip());
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(
          "the manifest field \"" + field + "\" is not a URL: " + url);
    }
    if (uri.getScheme() == null) {
      throw new IllegalArgumentException(
          "the manifest field \"" + field + "\" is not an absolute URL: " + url);
    }
    String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
    if (!DEFAULT_PORTS.containsKey(scheme)
        || uri.getRawAuthority() == null
        || uri.getHost() == null) {
      return url.strip();
    }
    StringBuilder b = new StringBuilder(scheme).append("://");
    if (uri.getRawUserInfo() != null) {
      b.append(uri.getRawUserInfo()).append('@');
    }
    b.append(uri.getHost().toLowerCase(Locale.ROOT));
    if (uri.getPort() >= 0 && uri.getPort() != DEFAULT_PORTS.get(scheme)) {
      b.append(':').append(uri.getPort());
    }
    String path = uri.getRawPath();
    b.append(path == null || path.isEmpty() ? "/" : path);
    if (uri.getRawQuery() != null) {
      b.append('?').append(uri.getRawQuery());
    }
    if (uri.getRawFragment() != null) {
      b.append('#').append(uri.getRawFragment());
    }
    return b.toString();
  }
}
