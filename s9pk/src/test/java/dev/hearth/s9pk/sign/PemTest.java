package dev.hearth.s9pk.sign;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hearth.error.ErrorKind;
import dev.hearth.error.StartException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** PEM armour: what is read, what is skipped, and what is refused without echoing the input. */
class PemTest {
  private static final byte[] ONE = "first block".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] TWO =
      "second, longer block of bytes".getBytes(StandardCharsets.US_ASCII);

  @Test
  void everyBlockWithTheLabelIsReadInOrderAndOthersAreSkipped() {
    String text =
        "notes before\n"
            + Pem.encode("CERTIFICATE", ONE)
            + Pem.encode("PRIVATE KEY", "not this".getBytes(StandardCharsets.US_ASCII))
            + Pem.encode("CERTIFICATE", TWO).replace("\n", "\r\n");
    assertThat(Pem.decodeAll("CERTIFICATE", text)).containsExactly(ONE, TWO);
    assertThat(Pem.decode("CERTIFICATE", text)).isEqualTo(ONE);
    assertThat(Pem.decodeAll("PUBLIC KEY", text)).isEmpty();
  }

  @Test
  void theBlanksOfAnyLineLayoutAreIgnored() {
    String body = java.util.Base64.getEncoder().encodeToString(TWO);
    String text =
        "-----BEGIN X-----\n \t"
            + body.substring(0, 5)
            + "\u000B\f"
            + body.substring(5)
            + "\r\n-----END X-----";
    assertThat(Pem.decodeAll("X", text)).containsExactly(TWO);
  }

  @Test
  void aBrokenBlockIsRefusedWithoutEchoingIt() {
    String secret = "c2VjcmV0\u00A0c2VjcmV0"; // a no-break space is not a PEM blank
    assertThatThrownBy(
            () -> Pem.decodeAll("X", "-----BEGIN X-----\n" + secret + "\n-----END X-----"))
        .isInstanceOfSatisfying(
            StartException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.PEM))
        .hasMessageContaining("not valid base64")
        .hasMessageNotContaining("c2VjcmV0");
    assertThatThrownBy(() -> Pem.decodeAll("X", "-----BEGIN X-----\nc2VjcmV0\n"))
        .isInstanceOfSatisfying(
            StartException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.PEM))
        .hasMessageContaining("no end line")
        .hasMessageNotContaining("c2VjcmV0");
    assertThatThrownBy(() -> Pem.decode("X", "nothing here"))
        .isInstanceOfSatisfying(
            StartException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.PEM));
  }
}
