package dev.hearth.cli.registry;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.hearth.cli.keys.Console;
import dev.hearth.registry.RegistryFixture;
import dev.hearth.s9pk.hash.Blake3;
import dev.hearth.s9pk.sign.DeveloperKey;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code start-cli registry os …} and {@code registry db apply} against a real registry, with the
 * images served by a real HTTP server.
 */
class RegistryOsCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  RegistryFixture reg;
  HttpServer images;
  Path adminKeyFile;
  Path nobody;
  Path image;
  String goodUrl;
  String tamperedUrl;

  @BeforeEach
  void start() throws Exception {
    reg = new RegistryFixture(dir);
    adminKeyFile = dir.resolve("admin.key.pem");
    Files.writeString(adminKeyFile, reg.adminKey.toPem());
    nobody = dir.resolve("none.pem"); // no key: unsigned, public methods only
    Files.writeString(dir.resolve("no-config.yaml"), "");

    byte[] bytes = new byte[300_000];
    new SecureRandom().nextBytes(bytes);
    image = dir.resolve("startos-0.4.0-x86_64.iso");
    Files.write(image, bytes);
    byte[] tampered = bytes.clone();
    tampered[123_456] ^= 1;
    images = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    for (var served : Map.of("/good.iso", bytes, "/tampered.iso", tampered).entrySet()) {
      images.createContext(
          served.getKey(),
          exchange -> {
            exchange.sendResponseHeaders(200, served.getValue().length);
            try (OutputStream out = exchange.getResponseBody()) {
              out.write(served.getValue());
            }
          });
    }
    images.start();
    String base = "http://127.0.0.1:" + images.getAddress().getPort();
    goodUrl = base + "/good.iso";
    tamperedUrl = base + "/tampered.iso";
  }

  @AfterEach
  void stop() throws Exception {
    images.stop(0);
    reg.close();
  }

  private Console cli(Path key, String... args) {
    List<String> all =
        new ArrayList<>(
            List.of(
                "-r",
                reg.url.toString(),
                "--registry-hostname",
                "localhost",
                "--developer-key-path",
                key.toString(),
                "-c",
                dir.resolve("no-config.yaml").toString()));
    all.addAll(List.of(args));
    return Console.run(all.toArray(String[]::new));
  }

  private Console ok(Path key, String... args) {
    Console c = cli(key, args);
    assertThat(c.exitCode()).as(String.join(" ", args) + ": " + c.stderr()).isZero();
    return c;
  }

  private JsonNode json(Path key, String... args) throws IOException {
    return JSON.readTree(ok(key, args).out());
  }

  @Test
  void releasesSignersAndSignedImagesEndToEnd() throws Exception {
    ok(
        adminKeyFile,
        "registry",
        "os",
        "version",
        "add",
        "0.4.0",
        "--headline",
        "Faster",
        "--release-notes",
        "Many things",
        "--source-version",
        ">=0.3.5 <0.4.0");
    JsonNode index = json(nobody, "registry", "os", "index");
    assertThat(index.path("versions").path("0.4.0").path("headline").asText()).isEqualTo("Faster");
    assertThat(
            json(nobody, "registry", "os", "version", "get", "--source-version", "0.3.6")
                .has("0.4.0"))
        .isTrue();
    assertThat(
            json(nobody, "registry", "os", "version", "get", "--source-version", "0.4.0")
                .has("0.4.0"))
        .isFalse();

    // A signer, authorized for 0.4.0, publishes the iso; the CLI checks the URL first.
    DeveloperKey dev = DeveloperKey.generate(new SecureRandom());
    Path devPub = dir.resolve("dev.pub.pem");
    Files.writeString(devPub, dev.publicKey().pem());
    Path devKey = dir.resolve("dev.key.pem");
    Files.writeString(devKey, dev.toPem());
    String devId =
        ok(
                adminKeyFile,
                "registry",
                "admin",
                "signer",
                "add",
                "--name",
                "Dev",
                "--key",
                devPub.toString())
            .out()
            .strip();
    String[] add = {
      "registry", "os", "asset", "add", "iso", "0.4.0", "x86_64", image.toString(), "--url"
    };
    Console unauthorized = cli(devKey, concat(add, goodUrl));
    assertThat(unauthorized.exitCode()).isNotZero();
    assertThat(unauthorized.stderr()).contains("not authorized for OS release 0.4.0");
    ok(adminKeyFile, "registry", "os", "version", "signer", "add", "0.4.0", devId);
    assertThat(json(nobody, "registry", "os", "version", "signer", "list", "0.4.0").has(devId))
        .isTrue();

    Console tampered = cli(devKey, concat(add, tamperedUrl));
    assertThat(tampered.exitCode()).isNotZero();
    assertThat(tampered.stderr()).contains("BLAKE3 is not the file's");
    Console missing = cli(nobody, "registry", "os", "asset", "get", "iso", "0.4.0", "x86_64");
    assertThat(missing.exitCode()).isNotZero();
    assertThat(missing.stderr()).contains("has no iso for x86_64");

    ok(devKey, concat(add, goodUrl));
    ok(adminKeyFile, "registry", "os", "asset", "sign", "iso", "0.4.0", "x86_64", image.toString());
    JsonNode asset = json(nobody, "registry", "os", "asset", "get", "iso", "0.4.0", "x86_64");
    assertThat(asset.path("urls").get(0).asText()).isEqualTo(goodUrl);
    assertThat(asset.path("commitment").path("hash").asText())
        .isEqualTo(Blake3.hash(Files.readAllBytes(image)).base64());
    assertThat(asset.path("commitment").path("size").asLong()).isEqualTo(Files.size(image));
    assertThat(asset.path("signatures").size()).isEqualTo(2);

    Console badKind = cli(devKey, "registry", "os", "asset", "get", "zip", "0.4.0", "x86_64");
    assertThat(badKind.exitCode()).isNotZero();
    assertThat(badKind.stderr()).contains("iso, img or squashfs");

    // Withdrawn, then removed.
    ok(devKey, "registry", "os", "asset", "remove", "iso", "0.4.0", "x86_64");
    ok(adminKeyFile, "registry", "os", "version", "signer", "remove", "0.4.0", devId);
    assertThat(json(nobody, "registry", "os", "version", "signer", "list", "0.4.0").isEmpty())
        .isTrue();
    ok(adminKeyFile, "registry", "os", "version", "remove", "0.4.0");
    assertThat(json(nobody, "registry", "os", "index").path("versions").isEmpty()).isTrue();
  }

  @Test
  void dbApplyPatchesTheRegistryOrChangesNothing() throws Exception {
    ok(
        adminKeyFile,
        "registry",
        "db",
        "apply",
        "[{\"op\":\"replace\",\"path\":\"/index/name\",\"value\":\"Patched\"}]");
    assertThat(json(nobody, "registry", "info").path("name").asText()).isEqualTo("Patched");

    JsonNode before = json(adminKeyFile, "registry", "db", "dump");
    Console broken =
        cli(
            adminKeyFile,
            "registry",
            "db",
            "apply",
            "[{\"op\":\"replace\",\"path\":\"/index/name\",\"value\":\"Half\"},"
                + "{\"op\":\"remove\",\"path\":\"/index/package\"}]");
    assertThat(broken.exitCode()).isNotZero();
    assertThat(broken.stderr()).contains("would no longer be valid");
    assertThat(json(adminKeyFile, "registry", "db", "dump")).isEqualTo(before);

    Console notJson = cli(adminKeyFile, "registry", "db", "apply", "[{");
    assertThat(notJson.exitCode()).isNotZero();
    assertThat(notJson.stderr()).contains("not JSON");
  }

  private static String[] concat(String[] head, String last) {
    String[] all = java.util.Arrays.copyOf(head, head.length + 1);
    all[head.length] = last;
    return all;
  }
}
