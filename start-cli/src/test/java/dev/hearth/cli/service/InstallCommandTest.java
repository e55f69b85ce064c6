package dev.hearth.cli.service;

import static dev.hearth.cli.service.PackageCommandTest.methods;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.cli.keys.Console;
import dev.hearth.cli.rpc.FakeStartd;
import dev.hearth.s9pk.S9pk;
import dev.hearth.s9pk.archive.Directory;
import dev.hearth.s9pk.archive.Entry;
import dev.hearth.s9pk.manifest.ManifestJson;
import dev.hearth.s9pk.sign.DeveloperKey;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Random;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code start-cli package install -s FILE}: the sideload sequence of rpc.md §3.4. */
class InstallCommandTest {
  private static final String MANIFEST =
      """
      {"id":"hello-world","version":"1.0.0:0","canMigrateTo":"<=1.0.0:0",
       "canMigrateFrom":"<=1.0.0:0","title":"Hello World",
       "description":{"short":"Greets you","long":"Serves one web page."},
       "releaseNotes":"First release","gitHash":null,"license":"MIT",
       "packageRepo":"https://example.com/p","upstreamRepo":"https://example.com/u",
       "marketingUrl":null,"donationUrl":null,"osVersion":"0.4.0-beta.10","sdkVersion":"2.0.9",
       "hardwareAcceleration":false,"userspaceFilesystems":false,"virtualNetworking":false,
       "plugins":[],"satisfies":[],"images":{},"volumes":["main"],"dependencies":{},
       "hardwareRequirements":{"device":[],"ram":null,"arch":null}}
      """;

  @TempDir Path dir;
  FakeStartd startd;

  @BeforeEach
  void start() throws Exception {
    startd = FakeStartd.start().answer("package.sideload", "{\"upload\":\"U\",\"progress\":\"P\"}");
  }

  @AfterEach
  void stop() throws Exception {
    startd.close();
  }

  private Console cli(String... args) throws Exception {
    return Console.run(startd.commandLine(dir, args));
  }

  /** A signed package of a little over 3 MiB, so the body spans many reads. */
  private Path packageFile() {
    byte[] big = new byte[(3 << 20) + 7];
    new Random(7).nextBytes(big);
    Path file = dir.resolve("hello-world.s9pk");
    try (S9pk pkg =
        S9pk.of(
            ManifestJson.parse(MANIFEST.getBytes(StandardCharsets.UTF_8)),
            Directory.empty().with("payload.bin", Entry.file(big)))) {
      pkg.writeSigned(file, DeveloperKey.generate(new SecureRandom()));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return file;
  }

  @Test
  void anUpdateSignedByAnotherKeyIsRefusedBeforeTheUploadUnlessTheUserAcceptsTheNewKey()
      throws Exception {
    Path file = packageFile();
    String fileKey;
    try (S9pk pkg = S9pk.open(file)) {
      fileKey = pkg.archive().orElseThrow().signer().pem();
    }
    String installedKey = DeveloperKey.generate(new SecureRandom()).publicKey().pem();
    startd.answer("db.dump", "{\"id\":1,\"value\":" + JSON.writeValueAsString(installedKey) + "}");
    Console refused = cli("package", "install", "-s", file.toString());
    assertThat(refused.exitCode()).isNotZero();
    assertThat(refused.stderr())
        .contains("signed by another key than the installed hello-world")
        .contains(installedKey.strip())
        .contains(fileKey.strip())
        .contains("--accept-key-change");
    assertThat(methods(startd)).containsExactly("db.dump");

    startd.upload("U", 204).socket("P", socket -> socket.close(1000, "complete"));
    Console accepted = cli("package", "install", "-s", file.toString(), "--accept-key-change");
    assertThat(accepted.exitCode()).as(accepted.stderr()).isZero();
    assertThat(startd.params("package.sideload").path("acceptKeyChange").asText())
        .isEqualTo(fileKey);
  }

  private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
      new com.fasterxml.jackson.databind.ObjectMapper();

  static String frame(String uploading, String validating, String installing, boolean done) {
    return ("{'overall':%s,'phases':[{'name':'Uploading','progress':%s},"
            + "{'name':'Validating Headers','progress':%s},{'name':'Installing','progress':%s}]}")
        .formatted(done, uploading, validating, installing)
        .replace('\'', '"');
  }

  @Test
  void sideloadFollowsProgressFirstThenUploadsTheFileExactlyAndSaysWhatWasInstalled()
      throws Exception {
    Path file = packageFile();
    long size = Files.size(file);
    startd
        .upload("U", 204)
        .socket(
            "P",
            socket -> {
              // Sent before the upload starts: a client that opened the socket late misses it.
              socket.send(frame("{'done':0,'total':%d}".formatted(size), "null", "null", false));
              startd.awaitUpload("U");
              socket.send(frame("true", "false", "null", false));
              socket.send(frame("true", "true", "{'done':1,'total':2}", false));
              socket.send(frame("true", "true", "true", true));
              socket.close(1000, "complete");
            });
    Console c = cli("package", "install", "-s", file.toString());
    assertThat(c.exitCode()).as(c.stderr()).isZero();
    assertThat(startd.events())
        .containsExactly("call db.dump", "call package.sideload", "socket P", "upload U");
    assertThat(methods(startd)).containsExactly("db.dump", "package.sideload");
    assertThat(startd.params("db.dump").path("pointer").asText())
        .isEqualTo("/public/packageData/hello-world/developerKey");
    assertThat(startd.params("package.sideload").path("acceptKeyChange").isNull()).isTrue();
    FakeStartd.Upload upload = startd.awaitUpload("U");
    assertThat(upload.contentLength()).isEqualTo(Long.toString(size));
    assertThat(upload.body()).isEqualTo(Files.readAllBytes(file));
    assertThat(c.out().lines())
        .containsExactly(
            "Uploading 0%", "Validating Headers", "Installing 50%", "installed hello-world");
  }

  @Test
  void aFailedInstallPrintsTheServersReasonAndExitsOne() throws Exception {
    Path file = Files.write(dir.resolve("not-a-package.s9pk"), new byte[] {1, 2, 3});
    startd
        .upload("U", 204)
        .socket(
            "P",
            socket -> {
              startd.awaitUpload("U");
              socket.close(1011, "not an s9pk: bad magic");
            });
    Console c = cli("package", "install", "--sideload", file.toString());
    assertThat(c.exitCode()).isEqualTo(1);
    assertThat(c.stderr()).isEqualTo("Error: Install Failed: not an s9pk: bad magic\n");
    assertThat(c.out()).doesNotContain("installed");
  }

  @Test
  void aStreamThatEndsWithoutCompleteIsNotASuccess() throws Exception {
    Path file = Files.write(dir.resolve("p.s9pk"), new byte[] {1, 2, 3});
    startd
        .upload("U", 204)
        .socket(
            "P",
            socket -> {
              startd.awaitUpload("U");
              socket.close(1000, "session ended");
            });
    Console c = cli("package", "install", "-s", file.toString());
    assertThat(c.exitCode()).isEqualTo(1);
    assertThat(c.stderr()).contains("ended before the install did").contains("session ended");
  }

  @Test
  void inJsonTheFramesArePrintedAsTheyCome() throws Exception {
    Path file = Files.write(dir.resolve("v1.s9pk"), new byte[] {1, 2, 3});
    String last = frame("true", "true", "true", true);
    startd
        .upload("U", 204)
        .socket(
            "P",
            socket -> {
              startd.awaitUpload("U");
              socket.send(last);
              socket.close(1000, "complete");
            });
    Console c = cli("--format", "json", "package", "install", "-s", file.toString());
    assertThat(c.exitCode()).as(c.stderr()).isZero();
    assertThat(c.out()).isEqualTo(last + "\n");
  }

  @Test
  void aMissingFileIsRefusedBeforeAnInstallStarts() throws Exception {
    Console c = cli("package", "install", "-s", dir.resolve("nope.s9pk").toString());
    assertThat(c.exitCode()).isEqualTo(1);
    assertThat(c.stderr()).contains("no readable package file at").contains("nope.s9pk");
    assertThat(startd.calls()).isEmpty();
  }

  @Test
  void installNeedsAFile() throws Exception {
    assertThat(cli("package", "install").exitCode()).isEqualTo(2);
    assertThat(startd.calls()).isEmpty();
  }

  @Test
  void progressShowsEachPhaseOnceAndALineAtEachTenthOfAPhaseWithASize() {
    var out = new ByteArrayOutputStream();
    Consumer<String> human =
        InstallCommand.human(new PrintStream(out, true, StandardCharsets.UTF_8));
    human.accept(frame("false", "null", "null", false));
    human.accept(frame("{'done':0,'total':1000,'units':'bytes'}", "null", "null", false));
    human.accept(frame("{'done':99,'total':1000,'units':'bytes'}", "null", "null", false));
    human.accept(frame("{'done':100,'total':1000,'units':'bytes'}", "null", "null", false));
    human.accept(frame("{'done':999,'total':1000,'units':'bytes'}", "null", "null", false));
    human.accept(frame("{'done':5,'total':null,'units':'bytes'}", "null", "null", false));
    human.accept(frame("true", "null", "null", false)); // between phases: nothing under way
    human.accept(frame("true", "false", "null", false));
    human.accept(frame("true", "false", "null", false));
    human.accept(frame("true", "true", "{'done':3,'total':2}", false));
    human.accept(frame("true", "true", "true", true));
    assertThat(out.toString(StandardCharsets.UTF_8).lines())
        .containsExactly(
            "Uploading",
            "Uploading 0%",
            "Uploading 10%",
            "Uploading 90%",
            "Uploading",
            "Validating Headers",
            "Installing 100%");
  }
}
