package dev.hearth.startd.marketplace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hearth.api.MarketplaceApi;
import dev.hearth.error.ErrorKind;
import dev.hearth.error.StartException;
import dev.hearth.s9pk.S9pk;
import dev.hearth.s9pk.sign.DeveloperKey;
import dev.hearth.s9pk.sign.SignaturePem;
import java.security.SecureRandom;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/**
 * A hostile registry's listing: a signature that does not verify, or none at all, refuses the
 * install before anything is downloaded; and what installing a version does, by exver.
 */
class MarketplaceTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final DeveloperKey key = DeveloperKey.generate(new SecureRandom());

  private ObjectNode asset(byte[] sighash, long maxsize, DeveloperKey signer, byte[] signed) {
    ObjectNode a = JSON.createObjectNode();
    a.putObject("commitment")
        .put("rootSighash", Base64.getEncoder().withoutPadding().encodeToString(sighash))
        .put("rootMaxsize", maxsize);
    byte[] m = new byte[40];
    System.arraycopy(signed, 0, m, 0, 32);
    for (int i = 0; i < 8; i++) {
      m[32 + i] = (byte) (maxsize >>> (56 - 8 * i));
    }
    a.putObject("signatures")
        .put(signer.publicKey().pem(), SignaturePem.encode(signer.signPrehashed(m, S9pk.CONTEXT)));
    return a;
  }

  @Test
  void aListingSignedOverItsCommitmentIsAccepted() {
    byte[] hash = new byte[32];
    hash[0] = 7;
    var c = Marketplace.signedCommitment(asset(hash, 500, key, hash));
    assertThat(c.rootMaxsize()).isEqualTo(500);
  }

  @Test
  void aSignatureOverAnotherCommitmentIsRefused() {
    byte[] hash = new byte[32];
    byte[] other = new byte[32];
    other[0] = 1;
    assertThatThrownBy(() -> Marketplace.signedCommitment(asset(hash, 500, key, other)))
        .isInstanceOf(StartException.class)
        .extracting(e -> ((StartException) e).kind())
        .isEqualTo(ErrorKind.INVALID_SIGNATURE);
  }

  @Test
  void aListingWithoutSignaturesIsRefused() {
    ObjectNode a = asset(new byte[32], 500, key, new byte[32]);
    a.putObject("signatures");
    assertThatThrownBy(() -> Marketplace.signedCommitment(a)).hasMessageContaining("no signature");
  }

  @Test
  void whatInstallingAVersionDoes() {
    assertThat(Marketplace.action(null, "1.0.0:0")).isEqualTo(MarketplaceApi.Action.install);
    assertThat(Marketplace.action("1.0.0:0", "1.1.0:0")).isEqualTo(MarketplaceApi.Action.update);
    assertThat(Marketplace.action("1.1.0:0", "1.0.0:0")).isEqualTo(MarketplaceApi.Action.downgrade);
    assertThat(Marketplace.action("1.0.0:0", "1.0.0:0")).isEqualTo(MarketplaceApi.Action.reinstall);
    assertThat(Marketplace.action("1.0.0:0", "#spicy:1.0.0:0"))
        .isEqualTo(MarketplaceApi.Action.switchFlavor);
  }
}
