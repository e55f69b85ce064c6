package dev.hearth.cli.registry;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hearth.api.RegistryApi;
import dev.hearth.jsonrpc.RpcClient;
import dev.hearth.s9pk.S9pk;
import dev.hearth.s9pk.archive.Commitment;
import dev.hearth.s9pk.sign.DeveloperKey;
import dev.hearth.s9pk.sign.SignaturePem;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Publishing a package file: its commitment, signed with the developer key (context {@code s9pk}),
 * sent with {@code package.add}; then, unless the registry fetches it from URLs, the file uploaded.
 */
public final class Publishing {
  private Publishing() {}

  /** The commitment and signature {@code package.add} and {@code add-mirror} send. */
  public record Signed(RegistryApi.Commitment commitment, String signature) {}

  public static Signed sign(Path file, DeveloperKey key) throws IOException {
    try (S9pk pkg = S9pk.open(file)) {
      Commitment c = pkg.archive().orElseThrow().commitment();
      return new Signed(
          new RegistryApi.Commitment(c.rootSighash().base64(), c.rootMaxsize()),
          SignaturePem.encode(key.signPrehashed(c.signedMessage(), S9pk.CONTEXT)));
    }
  }

  /**
   * @param urls where the registry fetches the file; empty: upload it
   * @return what was published ({@code id@version}), or null when the registry fetched it
   */
  public static JsonNode publish(RpcClient client, Path file, DeveloperKey key, List<String> urls)
      throws IOException {
    Signed s = sign(file, key);
    var answer =
        client.call(
            RegistryApi.PACKAGE_ADD,
            new RegistryApi.AddPackageParams(
                urls.isEmpty() ? null : urls, s.commitment(), s.signature(), urls.isEmpty()));
    if (answer.upload() == null) {
      return null;
    }
    return client.uploadForResult(answer.upload(), file);
  }
}
