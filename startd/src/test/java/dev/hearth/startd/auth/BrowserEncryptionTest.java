package dev.hearth.startd.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The setup page encrypts the password with WebCrypto ({@code ui/jwe.js}); this runs that very file
 * under Node, whose WebCrypto is the same API, and checks the daemon's side decrypts it.
 */
class BrowserEncryptionTest {
  @TempDir Path dir;

  @Test
  void thePagesEncryptionDecryptsOnTheServer() throws Exception {
    var mapper = new ObjectMapper();
    var server = new EncryptedWire(new SecureRandom());
    Path jwe = dir.resolve("jwe.js");
    try (var in = BrowserEncryptionTest.class.getResourceAsStream("/ui/jwe.js")) {
      Files.write(jwe, in.readAllBytes());
    }
    String script =
        "const { encryptPassword } = require("
            + mapper.writeValueAsString(jwe.toString())
            + ");"
            + "encryptPassword(process.argv[1], JSON.parse(process.argv[2]))"
            + ".then((j) => console.log(JSON.stringify(j)));";
    String password = "correct horse ✓ battery";
    Process node =
        new ProcessBuilder(
                "node", "-e", script, password, mapper.writeValueAsString(server.publicJwk(mapper)))
            .redirectErrorStream(true)
            .start();
    String out = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(node.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(node.exitValue()).as(out).isZero();
    assertThat(server.decrypt(mapper.readTree(out), mapper)).isEqualTo(password);
  }
}
