package dev.hearth.registry.pkg;

import dev.hearth.error.ErrorKind;
import dev.hearth.error.StartException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Downloads a package a signer names by URL ({@code package.add}), into a file of the store's, at
 * most {@code maxBytes}: only http(s), no redirects to other schemes, a read timeout per request.
 */
final class Fetcher {
  private final HttpClient http =
      HttpClient.newBuilder()
          .followRedirects(HttpClient.Redirect.NORMAL)
          .connectTimeout(Duration.ofSeconds(10))
          .build();
  private final long maxBytes;

  Fetcher(long maxBytes) {
    this.maxBytes = maxBytes;
  }

  /**
   * Tries the URLs in order until one gives the whole file.
   *
   * @throws StartException NETWORK naming each URL's failure, or TOO large as INVALID_REQUEST
   */
  void fetch(List<String> urls, Path into) {
    StringBuilder failures = new StringBuilder();
    for (String url : urls) {
      URI uri;
      try {
        uri = URI.create(url);
      } catch (IllegalArgumentException e) {
        failures.append(url).append(": not a URL; ");
        continue;
      }
      if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
        failures.append(url).append(": only http and https are fetched; ");
        continue;
      }
      try {
        HttpResponse<InputStream> response =
            http.send(
                HttpRequest.newBuilder(uri).timeout(Duration.ofMinutes(10)).GET().build(),
                HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream in = response.body()) {
          if (response.statusCode() != 200) {
            failures.append(url).append(": HTTP ").append(response.statusCode()).append("; ");
            continue;
          }
          copyCapped(in, into);
          return;
        }
      } catch (IOException e) {
        failures.append(url).append(": ").append(e.getMessage()).append("; ");
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new StartException(ErrorKind.CANCELLED, "interrupted while downloading " + url);
      }
    }
    throw new StartException(
        ErrorKind.NETWORK, "could not download the package: " + failures.toString().strip());
  }

  /** Copies at most {@code maxBytes}; a larger body is refused, not cut. */
  void copyCapped(InputStream in, Path into) throws IOException {
    try (OutputStream out = Files.newOutputStream(into)) {
      byte[] buffer = new byte[1 << 16];
      long total = 0;
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        total += n;
        if (total > maxBytes) {
          throw new StartException(
              ErrorKind.INVALID_REQUEST,
              "the package is larger than this registry accepts (" + maxBytes + " bytes)");
        }
        out.write(buffer, 0, n);
      }
    }
  }
}
