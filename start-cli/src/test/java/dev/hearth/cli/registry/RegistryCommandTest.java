package dev.hearth.cli.registry;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hearth.cli.keys.Console;
import dev.hearth.registry.RegistryFixture;
import dev.hearth.s9pk.sign.DeveloperKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code start-cli registry …} and {@code s9pk publish} against a real registry. */
class RegistryCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  RegistryFixture reg;
  Path adminKeyFile;

  @BeforeEach
  void start() throws Exception {
    reg = new RegistryFixture(dir);
    adminKeyFile = dir.resolve("admin.key.pem");
    Files.writeString(adminKeyFile, reg.adminKey.toPem());
  }

  @AfterEach
  void stop() throws Exception {
    reg.close();
  }

  /** The command line with the registry, its host name and a key (or a key file that is absent). */
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
    try {
      Files.writeString(dir.resolve("no-config.yaml"), "");
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return Console.run(all.toArray(String[]::new));
  }

  @Test
  void publishBrowseAndAdminister() throws Exception {
    Path file = reg.packageFile("hello-world", "1.0.0:0", reg.adminKey);
    Console published = cli(adminKeyFile, "s9pk", "publish", file.toString());
    assertThat(published.exitCode()).as(published.stderr()).isZero();
    assertThat(published.out()).contains("hello-world@1.0.0:0");

    Path nobody = dir.resolve("none.pem"); // no key: unsigned, public methods only
    Console got =
        cli(nobody, "registry", "package", "get", "hello-world", "--other-versions", "short");
    assertThat(got.exitCode()).as(got.stderr()).isZero();
    JsonNode answer = JSON.readTree(got.out());
    assertThat(answer.path("best").has("1.0.0:0")).isTrue();

    Console denied = cli(nobody, "registry", "admin", "list");
    assertThat(denied.exitCode()).isNotZero();
    assertThat(denied.stderr()).contains("signed by a signer of this registry");

    // A second signer, authorized for the package, publishes the next version with add.
    DeveloperKey dev = DeveloperKey.generate(new SecureRandom());
    Path devPub = dir.resolve("dev.pub.pem");
    Files.writeString(devPub, dev.publicKey().pem());
    Path devKey = dir.resolve("dev.key.pem");
    Files.writeString(devKey, dev.toPem());
    Console added =
        cli(
            adminKeyFile,
            "registry",
            "admin",
            "signer",
            "add",
            "--name",
            "Dev",
            "--key",
            devPub.toString());
    assertThat(added.exitCode()).as(added.stderr()).isZero();
    String devId = added.out().strip();
    assertThat(
            cli(
                    adminKeyFile,
                    "registry",
                    "package",
                    "signer",
                    "add",
                    "hello-world",
                    devId,
                    "--versions",
                    ">=1.0.0")
                .exitCode())
        .isZero();
    Path next = reg.packageFile("hello-world", "1.1.0:0", dev);
    Console add = cli(devKey, "registry", "package", "add", next.toString());
    assertThat(add.exitCode()).as(add.stderr()).isZero();
    JsonNode index = JSON.readTree(cli(nobody, "registry", "package", "index").out());
    assertThat(index.path("packages").path("hello-world").path("versions").has("1.1.0:0")).isTrue();

    // The dev is not an admin; the admin renames the registry and adds a category.
    assertThat(cli(devKey, "registry", "info", "set-name", "Mine").stderr())
        .contains("needs an admin");
    assertThat(cli(adminKeyFile, "registry", "info", "set-name", "Renamed").exitCode()).isZero();
    assertThat(
            cli(adminKeyFile, "registry", "package", "category", "add", "tools", "Tools")
                .exitCode())
        .isZero();
    JsonNode info = JSON.readTree(cli(nobody, "registry", "info").out());
    assertThat(info.path("name").asText()).isEqualTo("Renamed");
    assertThat(info.path("categories").path("tools").path("name").asText()).isEqualTo("Tools");

    // Without the right host name the signature is refused, with what to do about it.
    Console wrongHost =
        Console.run(
            "-r",
            reg.url.toString(),
            "--developer-key-path",
            adminKeyFile.toString(),
            "-c",
            dir.resolve("no-config.yaml").toString(),
            "registry",
            "admin",
            "list");
    assertThat(wrongHost.exitCode()).isNotZero();
    assertThat(wrongHost.stderr()).contains("--registry-hostname");
  }
}
