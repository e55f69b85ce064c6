package dev.hearth.startd.marketplace;

import dev.hearth.error.ErrorKind;
import dev.hearth.error.StartException;
import java.net.URI;
import java.util.Locale;

/** A registry's URL in the one form it is stored and compared in: {@code scheme://host[:port]/}. */
final class RegistryUrl {
  private RegistryUrl() {}

  /**
   * @throws StartException INVALID_REQUEST for anything but an http(s) URL with a host
   */
  static String normalize(String url) {
    URI uri;
    try {
      uri = URI.create(url.strip());
    } catch (IllegalArgumentException e) {
      throw new StartException(ErrorKind.INVALID_REQUEST, "not a URL: " + url);
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
      throw new StartException(
          ErrorKind.INVALID_REQUEST, "a registry's URL is http(s)://host[:port]/, not " + url);
    }
    String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
    if (!path.endsWith("/")) {
      path = path + "/";
    }
    return scheme + "://" + uri.getRawAuthority().toLowerCase(Locale.ROOT) + path;
  }
}
