package dev.hearth.startd.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hearth.error.ErrorKind;
import dev.hearth.error.StartException;
import java.security.SecureRandom;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class EncryptedWireTest {
  private final ObjectMapper mapper = new ObjectMapper();
  private final SecureRandom random = new SecureRandom();
  private final EncryptedWire server = new EncryptedWire(random);

  @Test
  void aClientEncryptsToTheServersKeyAndOnlyTheServerDecrypts() {
    var jwe = EncryptedWire.encrypt("pässwörd ✓", server.publicJwk(mapper), random, mapper);
    assertThat(server.decrypt(jwe, mapper)).isEqualTo("pässwörd ✓");
    var other = new EncryptedWire(random);
    assertThatThrownBy(() -> other.decrypt(jwe, mapper))
        .isInstanceOfSatisfying(
            StartException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_REQUEST));
  }

  @Test
  void aTamperedCiphertextOrHeaderIsRefused() {
    var jwe =
        (ObjectNode) EncryptedWire.encrypt("secret", server.publicJwk(mapper), random, mapper);
    byte[] ct = Base64.getUrlDecoder().decode(jwe.get("ciphertext").asText());
    ct[0] ^= 1;
    var tampered =
        jwe.deepCopy()
            .put("ciphertext", Base64.getUrlEncoder().withoutPadding().encodeToString(ct));
    assertThatThrownBy(() -> server.decrypt(tampered, mapper)).hasMessageContaining("invalid");
    var otherHeader = jwe.deepCopy().put("protected", "eyJhbGciOiJub25lIn0");
    assertThatThrownBy(() -> server.decrypt(otherHeader, mapper))
        .isInstanceOf(StartException.class);
  }

  @Test
  void aPasswordTypeIsPlainOrEncryptedAsTheMethodAllows() {
    var plain = mapper.getNodeFactory().textNode("plain");
    assertThat(server.password(plain, true, mapper)).isEqualTo("plain");
    assertThatThrownBy(() -> server.password(plain, false, mapper))
        .hasMessageContaining("must be encrypted");
    var wrapped = mapper.createObjectNode();
    wrapped.set(
        "encrypted", EncryptedWire.encrypt("enc", server.publicJwk(mapper), random, mapper));
    assertThat(server.password(wrapped, false, mapper)).isEqualTo("enc");
  }
}
