package dev.hearth.cli.registry;

import dev.hearth.api.RegistryApi;
import dev.hearth.error.ErrorKind;
import dev.hearth.error.StartException;
import dev.hearth.s9pk.hash.Blake3;
import dev.hearth.s9pk.sign.DeveloperKey;
import dev.hearth.s9pk.sign.SignaturePem;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * An OS image file as {@code os.asset.*} sends it: its BLAKE3 commitment, signed with the developer
 * key (context {@value RegistryApi#OS_SIGNATURE_CONTEXT}), and the check that the URL it is
 * published at serves those very bytes. The registry does not fetch images, so this check is the
 * one a publisher's typo meets.
 */
final class OsImages {
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10); // as the registry's
  private static final Duration FIRST_BYTE_TIMEOUT = Duration.ofMinutes(10); // Fetcher's
  private static final int BUFFER_BYTES = 1 << 20;

  private OsImages() {}

  record Signed(RegistryApi.Blake3Commitment commitment, String signature) {}

  static RegistryApi.Blake3Commitment commitment(Path file) throws IOException {
    long size = Files.size(file);
    return new RegistryApi.Blake3Commitment(
        Blake3.hashFile(file, Blake3.FileRead.READ).base64(), size);
  }

  static Signed sign(Path file, DeveloperKey key) throws IOException {
    RegistryApi.Blake3Commitment c = commitment(file);
    return new Signed(
        c,
        SignaturePem.encode(
            key.signPrehashed(c.signedMessage(), RegistryApi.OS_SIGNATURE_CONTEXT)));
  }

  /**
   * Downloads {@code url} as a stream, hashing it, reading no more than the commitment's size and
   * one byte.
   *
   * @throws StartException NETWORK if it cannot be downloaded, INVALID_REQUEST if it serves other
   *     bytes than the file
   */
  static void verifyUrl(String url, RegistryApi.Blake3Commitment expected) {
    URI uri = URI.create(url);
    if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
      throw new StartException(ErrorKind.INVALID_REQUEST, "an image's URL is http(s): " + url);
    }
    HttpClient http =
        HttpClient.newBuilder()
            .followRedirects(HttpClient.Redirect.NORMAL)
            .connectTimeout(CONNECT_TIMEOUT)
            .build();
    try (http) {
      HttpResponse<InputStream> response =
          http.send(
              HttpRequest.newBuilder(uri).timeout(FIRST_BYTE_TIMEOUT).GET().build(),
              HttpResponse.BodyHandlers.ofInputStream());
      try (InputStream in = response.body()) {
        if (response.statusCode() != 200) {
          throw new StartException(
              ErrorKind.NETWORK, url + " answered HTTP " + response.statusCode());
        }
        Blake3 hasher = Blake3.newHasher();
        byte[] buffer = new byte[BUFFER_BYTES];
        long total = 0;
        for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
          total += n;
          if (total > expected.size()) {
            throw mismatch(url, "more than the file's " + expected.size() + " bytes");
          }
          hasher.update(buffer, 0, n);
        }
        if (total != expected.size()) {
          throw mismatch(url, total + " bytes, not the file's " + expected.size());
        }
        if (!hasher.finish().base64().equals(expected.hash())) {
          throw mismatch(url, "bytes whose BLAKE3 is not the file's");
        }
      }
    } catch (IOException e) {
      throw new StartException(ErrorKind.NETWORK, "cannot download " + url + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StartException(ErrorKind.CANCELLED, "interrupted while downloading " + url);
    }
  }

  private static StartException mismatch(String url, String what) {
    return new StartException(
        ErrorKind.INVALID_REQUEST, url + " serves " + what + "; nothing was published");
  }
}
