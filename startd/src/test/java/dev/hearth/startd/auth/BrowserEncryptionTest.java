package dev.hearth.startd.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The setup page encrypts the password in the browser ({@code web/src/setup/jwe.ts}: WebCrypto, or
 * the JavaScript fallback a plain-HTTP LAN page uses); this runs that very module under Node, whose
 * WebCrypto is the browser's API, with each of the two, and checks the daemon's side decrypts it.
 *
 * <p>The module is the web build's ({@code npm run build} in {@code web/}, which {@code make test}
 * and {@code make run} do before Maven).
 */
class BrowserEncryptionTest {
  static final Path MODULE = Path.of("..", "web", "target", "jwe", "jwe.mjs").toAbsolutePath();

  @ParameterizedTest
  @ValueSource(strings = {"webCrypto(globalThis.crypto.subtle)", "javascriptPrimitives()"})
  void thePagesEncryptionDecryptsOnTheServer(String primitives) throws Exception {
    assertThat(MODULE).as("the web UI's build (run `npm ci && npm run build` in web/)").exists();
    var mapper = new ObjectMapper();
    var server = new EncryptedWire(new SecureRandom());
    String script =
        "import("
            + mapper.writeValueAsString(MODULE.toUri().toString())
            + ").then(async (m) => m.encryptPassword(process.argv[1], JSON.parse(process.argv[2]),"
            + " await m."
            + primitives
            + ")).then((j) => console.log(JSON.stringify(j)));";
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
