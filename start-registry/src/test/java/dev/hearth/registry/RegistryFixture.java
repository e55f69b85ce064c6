package dev.hearth.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hearth.api.RegistryApi;
import dev.hearth.jsonrpc.RpcClient;
import dev.hearth.registry.blob.S3Bucket;
import dev.hearth.registry.db.RegistryDb;
import dev.hearth.s9pk.S9pk;
import dev.hearth.s9pk.TestPackages;
import dev.hearth.s9pk.archive.Commitment;
import dev.hearth.s9pk.manifest.ManifestJson;
import dev.hearth.s9pk.sign.DeveloperKey;
import dev.hearth.s9pk.sign.RequestSignature;
import dev.hearth.s9pk.sign.SignaturePem;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * A registry in this JVM on a loopback port, with an admin key, and the client side of publishing:
 * signed calls, package files of any version, uploads. Shared with other modules' tests.
 */
public final class RegistryFixture implements AutoCloseable {
  public static final ObjectMapper JSON = RegistryDb.mapper();
  private static final AtomicLong NONCES = new AtomicLong(new SecureRandom().nextLong());

  public final DeveloperKey adminKey = DeveloperKey.generate(new SecureRandom());
  public final Path dir;
  public final Registry registry;
  public final URI url;

  public RegistryFixture(Path dir) throws Exception {
    this(dir, null);
  }

  /** A registry whose package files are in {@code s3}, or on disk when it is null. */
  public RegistryFixture(Path dir, @Nullable S3Bucket s3) throws Exception {
    this.dir = dir;
    Path adminPem = dir.resolve("admin.pub.pem");
    Files.writeString(adminPem, adminKey.publicKey().pem());
    registry =
        Registry.start(
            new RegistryConfig(
                dir.resolve("data"),
                List.of(new InetSocketAddress("127.0.0.1", 0)),
                List.of("localhost"),
                "",
                "Test Registry",
                List.of(adminPem),
                64L << 20,
                s3),
            Clock.systemUTC());
    url = registry.urls().getFirst();
  }

  /** A client that signs every call with {@code key} for the host {@code localhost}. */
  public RpcClient client(DeveloperKey key) {
    return client(key, "localhost");
  }

  public RpcClient client(DeveloperKey key, String host) {
    RpcClient c = anonymous();
    c.setBodyHeader(body -> new String[] {RequestSignature.HEADER, sign(key, host, body).header()});
    return c;
  }

  public static RequestSignature sign(DeveloperKey key, String host, byte[] body) {
    return RequestSignature.sign(
        key, host, body, System.currentTimeMillis() / 1000, NONCES.incrementAndGet());
  }

  public RpcClient anonymous() {
    RpcClient c = new RpcClient(url, JSON);
    c.setRpcPath("/rpc/v0");
    return c;
  }

  /** A valid package of {@code version} (exver text), signed by {@code key}, written to a file. */
  public Path packageFile(String id, String version, DeveloperKey key) throws Exception {
    String manifest =
        new String(ManifestJson.write(TestPackages.manifest()), StandardCharsets.UTF_8);
    manifest =
        manifest
            .replace("\"id\":\"hello-world\"", "\"id\":\"" + id + "\"")
            .replace("\"version\":\"1.0.0:0\"", "\"version\":\"" + version + "\"");
    Path file = Files.createTempFile(dir, id + "-", ".s9pk");
    try (S9pk pkg =
        S9pk.of(
            ManifestJson.parse(manifest.getBytes(StandardCharsets.UTF_8)), TestPackages.tree())) {
      pkg.writeSigned(file, key);
    }
    return file;
  }

  /**
   * The commitment a package file carries, and its signature, as {@code package.add} sends them.
   */
  public static RegistryApi.AddPackageParams addParams(Path file, DeveloperKey key) {
    try (S9pk pkg = S9pk.open(file)) {
      Commitment c = pkg.archive().orElseThrow().commitment();
      byte[] sig = key.signPrehashed(c.signedMessage(), S9pk.CONTEXT);
      return new RegistryApi.AddPackageParams(
          null,
          new RegistryApi.Commitment(c.rootSighash().base64(), c.rootMaxsize()),
          SignaturePem.encode(sig),
          true);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** Publishes by upload; the registry's answer (the package published) or its error. */
  public static JsonNode publish(RpcClient client, Path file, DeveloperKey key) {
    var answer = client.call(RegistryApi.PACKAGE_ADD, addParams(file, key));
    return client.uploadForResult(answer.upload(), file);
  }

  @Override
  public void close() throws Exception {
    registry.close();
  }
}
