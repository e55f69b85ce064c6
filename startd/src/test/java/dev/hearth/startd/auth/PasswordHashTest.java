package dev.hearth.startd.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hearth.error.ErrorKind;
import dev.hearth.error.StartException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;
import org.junit.jupiter.api.Test;

class PasswordHashTest {
  private final PasswordHash hasher = new PasswordHash(new SecureRandom());

  @Test
  void aHashVerifiesItsPasswordAndNoOther() {
    String hash = hasher.hash("hunter2 with spaces");
    assertThat(hash).startsWith("$argon2id$v=19$m=19456,t=2,p=1$");
    assertThat(hasher.verify("hunter2 with spaces", hash)).isTrue();
    assertThat(hasher.verify("hunter2 with spaces ", hash)).isFalse();
    assertThat(hasher.hash("same")).isNotEqualTo(hasher.hash("same")); // salted
  }

  @Test
  void aHashMadeWithUpstreamsParametersVerifies() {
    // Upstream hashes with RFC 9106's low-memory settings (64 MiB, 3 passes, 4 lanes).
    byte[] salt = "sixteen byte slt".getBytes(StandardCharsets.US_ASCII);
    var params =
        new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
            .withVersion(Argon2Parameters.ARGON2_VERSION_13)
            .withMemoryAsKB(65536)
            .withIterations(3)
            .withParallelism(4)
            .withSalt(salt)
            .build();
    var generator = new Argon2BytesGenerator();
    generator.init(params);
    byte[] tag = new byte[32];
    generator.generateBytes("upstream password".getBytes(StandardCharsets.UTF_8), tag);
    var b64 = Base64.getEncoder().withoutPadding();
    String encoded =
        "$argon2id$v=19$m=65536,t=3,p=4$"
            + b64.encodeToString(salt)
            + "$"
            + b64.encodeToString(tag);
    assertThat(hasher.verify("upstream password", encoded)).isTrue();
    assertThat(hasher.verify("upstream password!", encoded)).isFalse();
    // The parameters are part of what is checked: the same tag under others does not verify.
    assertThat(hasher.verify("upstream password", encoded.replace("t=3", "t=2"))).isFalse();
  }

  @Test
  void malformedOrExtravagantHashesAreRefused() {
    assertThatThrownBy(() -> hasher.verify("x", "$2b$10$notargon"))
        .isInstanceOfSatisfying(
            StartException.class,
            e -> assertThat(e.kind()).isEqualTo(ErrorKind.PASSWORD_HASH_GENERATION));
    String greedy = "$argon2id$v=19$m=4194304,t=3,p=4$c2FsdHNhbHRzYWx0$dGFndGFndGFndGFn";
    assertThatThrownBy(() -> hasher.verify("x", greedy)).hasMessageContaining("refuses");
  }
}
