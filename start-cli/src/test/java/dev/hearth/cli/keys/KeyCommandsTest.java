package dev.hearth.cli.keys;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.s9pk.sign.DeveloperKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeyCommandsTest {
  @TempDir Path home;

  @Test
  void initKeyCreatesAnOwnerOnlyKeyThatPubkeyPrints() throws Exception {
    Path key = home.resolve(".startos/developer.key.pem");
    Console init = Console.run("--developer-key-path", key.toString(), "init", "key");
    assertThat(init.exitCode()).as(init.stderr()).isZero();
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key)))
        .isEqualTo("rw-------");
    Console pub = Console.run("--developer-key-path", key.toString(), "pubkey");
    assertThat(pub.exitCode()).isZero();
    assertThat(pub.out()).isEqualTo(DeveloperKey.read(key).publicKey().pem());
    Console json =
        Console.run("pubkey", "--format", "json", "--developer-key-path", key.toString());
    assertThat(json.out().strip()).startsWith("\"-----BEGIN PUBLIC KEY-----\\n");
  }

  @Test
  void initKeyRefusesToReplaceAnExistingKey() throws Exception {
    Path key = home.resolve("developer.key.pem");
    assertThat(Console.run("--developer-key-path", key.toString(), "init", "key").exitCode())
        .isZero();
    String before = Files.readString(key);
    Console again = Console.run("--developer-key-path", key.toString(), "init", "key");
    assertThat(again.exitCode()).isEqualTo(1);
    assertThat(again.stderr())
        .contains("Error: Duplication Error: a developer key already exists at " + key);
    assertThat(Files.readString(key)).isEqualTo(before);
  }

  @Test
  void initKeyAlsoAnswersToTheSdkMakefilesSpelling() {
    Path key = home.resolve("k.pem");
    Console init = Console.run("--developer-key-path", key.toString(), "init-key");
    assertThat(init.exitCode()).as(init.stderr()).isZero();
    assertThat(Files.exists(key)).isTrue();
    assertThat(Console.run("--developer-key-path", key.toString(), "init").exitCode()).isEqualTo(2);
  }

  @Test
  void pubkeyWithoutAKeySaysHowToMakeOne() {
    Console pub =
        Console.run("--developer-key-path", home.resolve("none.pem").toString(), "pubkey");
    assertThat(pub.exitCode()).isEqualTo(1);
    assertThat(pub.stderr()).contains("no developer key at").contains("start-cli init key");
  }
}
