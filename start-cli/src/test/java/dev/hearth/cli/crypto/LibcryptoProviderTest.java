package dev.hearth.cli.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.security.InvalidKeyException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Security;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.XECPrivateKey;
import java.security.interfaces.XECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.NamedParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.security.spec.XECPublicKeySpec;
import java.util.HexFormat;
import javax.crypto.KeyAgreement;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The provider against the JDK's own (the reference: same answers on the same inputs), RFC 7748's
 * vectors, and the inputs an attacker controls: a forged or altered signature, a peer key of small
 * order. And what it does not do falls to the JDK's provider.
 */
class LibcryptoProviderTest {
  private static final HexFormat HEX = HexFormat.of();
  private static final SecureRandom RANDOM = new SecureRandom();
  private static Provider jdk;

  @BeforeAll
  static void install() {
    // The build compiles the library on every Linux machine with gcc and a JDK, which CI has: a
    // missing library is a broken build here, not a reason to skip.
    assertThat(LibcryptoProvider.install()).as("libhearth-libcrypto and libcrypto load").isTrue();
    assertThat(Security.getProviders()[0].getName()).isEqualTo(LibcryptoProvider.NAME);
    jdk = Security.getProvider("SunEC");
  }

  private static byte[] hex(String s) {
    return HEX.parseHex(s);
  }

  // --- X25519 ---

  @Test
  void x25519GivesRfc7748sPublicKeysAndSharedSecret() throws Exception {
    byte[] alice = hex("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a");
    byte[] bob = hex("5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb");
    byte[] alicePublic = new byte[32];
    byte[] bobPublic = new byte[32];
    assertThat(Libcrypto.x25519(alice, null, alicePublic)).isTrue();
    assertThat(Libcrypto.x25519(bob, null, bobPublic)).isTrue();
    assertThat(HEX.formatHex(alicePublic))
        .isEqualTo("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a");
    assertThat(HEX.formatHex(bobPublic))
        .isEqualTo("de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f");

    KeyAgreement ka = KeyAgreement.getInstance("XDH");
    ka.init(new X25519PrivateKey(alice.clone()));
    ka.doPhase(new X25519PublicKey(bobPublic), true);
    assertThat(ka.getProvider().getName()).isEqualTo(LibcryptoProvider.NAME);
    assertThat(HEX.formatHex(ka.generateSecret()))
        .isEqualTo("4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742");
  }

  @Test
  void x25519KeysAgreeWithTheJdksBothWays() throws Exception {
    for (int i = 0; i < 20; i++) {
      KeyPairGenerator ours = KeyPairGenerator.getInstance("XDH");
      ours.initialize(NamedParameterSpec.X25519, RANDOM);
      KeyPair mine = ours.generateKeyPair();
      assertThat(ours.getProvider().getName()).isEqualTo(LibcryptoProvider.NAME);
      KeyPairGenerator theirs = KeyPairGenerator.getInstance("XDH", jdk);
      theirs.initialize(NamedParameterSpec.X25519, RANDOM);
      KeyPair peer = theirs.generateKeyPair();

      // The peer's key as TLS carries it: only its u-coordinate, made a key by the JDK's factory.
      PublicKey peerPublic =
          KeyFactory.getInstance("XDH", jdk)
              .generatePublic(
                  new XECPublicKeySpec(
                      NamedParameterSpec.X25519, ((XECPublicKey) peer.getPublic()).getU()));
      KeyAgreement ka = KeyAgreement.getInstance("XDH");
      ka.init(mine.getPrivate());
      ka.doPhase(peerPublic, true);
      byte[] ourSecret = ka.generateSecret();

      KeyAgreement reference = KeyAgreement.getInstance("XDH", jdk);
      reference.init(peer.getPrivate());
      reference.doPhase(mine.getPublic(), true);
      assertThat(reference.generateSecret()).isEqualTo(ourSecret);

      // Our keys read the same through the JDK's factory: encodings and values are standard.
      KeyFactory factory = KeyFactory.getInstance("XDH", jdk);
      XECPublicKey decoded =
          (XECPublicKey)
              factory.generatePublic(new X509EncodedKeySpec(mine.getPublic().getEncoded()));
      assertThat(decoded.getU()).isEqualTo(((XECPublicKey) mine.getPublic()).getU());
      XECPrivateKey decodedPrivate =
          (XECPrivateKey)
              factory.generatePrivate(new PKCS8EncodedKeySpec(mine.getPrivate().getEncoded()));
      assertThat(decodedPrivate.getScalar())
          .contains(((XECPrivateKey) mine.getPrivate()).getScalar().orElseThrow());
    }
  }

  @Test
  void aPeerKeyOfSmallOrderIsRefused() throws Exception {
    // u = 0, u = 1, and a point of order 8 (RFC 7748 §7 tells to refuse the all-zero secret).
    for (String u :
        new String[] {
          "0000000000000000000000000000000000000000000000000000000000000000",
          "0100000000000000000000000000000000000000000000000000000000000000",
          "e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800"
        }) {
      KeyAgreement ka = KeyAgreement.getInstance("XDH");
      ka.init(KeyPairGenerator.getInstance("XDH").generateKeyPair().getPrivate());
      assertThatThrownBy(() -> ka.doPhase(new X25519PublicKey(hex(u)), true))
          .as(u)
          .isInstanceOf(InvalidKeyException.class)
          .hasMessageContaining("small order");
    }
  }

  @Test
  void x448IsLeftToTheJdk() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("XDH");
    generator.initialize(NamedParameterSpec.X448, RANDOM);
    KeyPair pair = generator.generateKeyPair();
    assertThat(generator.getProvider().getName()).isEqualTo("SunEC");
    KeyAgreement ka = KeyAgreement.getInstance("XDH");
    ka.init(pair.getPrivate());
    ka.doPhase(pair.getPublic(), true);
    assertThat(ka.getProvider().getName()).isEqualTo("SunEC");
    assertThat(ka.generateSecret()).hasSize(56);
  }

  // --- P-256 key pairs ---

  @Test
  void p256KeyPairsAreValidForTheJdksEcdhAndEcdsa() throws Exception {
    for (int i = 0; i < 20; i++) {
      KeyPairGenerator ours = KeyPairGenerator.getInstance("EC");
      ours.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
      KeyPair mine = ours.generateKeyPair();
      assertThat(ours.getProvider().getName()).isEqualTo(LibcryptoProvider.NAME);

      // The public point is the scalar's: signed with the private key by the JDK, verified with
      // the public key by the JDK.
      Signature signer = Signature.getInstance("SHA256withECDSA", jdk);
      signer.initSign(mine.getPrivate());
      signer.update(new byte[] {1, 2, 3});
      byte[] sig = signer.sign();
      Signature verifier = Signature.getInstance("SHA256withECDSA", jdk);
      verifier.initVerify(mine.getPublic());
      verifier.update(new byte[] {1, 2, 3});
      assertThat(verifier.verify(sig)).isTrue();

      // ECDH, if a server picks P-256: the JDK's agreement, with our keys, both ways.
      KeyPairGenerator theirs = KeyPairGenerator.getInstance("EC", jdk);
      theirs.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
      KeyPair peer = theirs.generateKeyPair();
      KeyAgreement a = KeyAgreement.getInstance("ECDH");
      a.init(mine.getPrivate());
      a.doPhase(peer.getPublic(), true);
      KeyAgreement b = KeyAgreement.getInstance("ECDH", jdk);
      b.init(peer.getPrivate());
      b.doPhase(mine.getPublic(), true);
      assertThat(a.generateSecret()).isEqualTo(b.generateSecret());

      // Standard encodings: the JDK's factory reads both keys back.
      KeyFactory factory = KeyFactory.getInstance("EC", jdk);
      ECPublicKey decoded =
          (ECPublicKey)
              factory.generatePublic(new X509EncodedKeySpec(mine.getPublic().getEncoded()));
      assertThat(decoded.getW()).isEqualTo(((ECPublicKey) mine.getPublic()).getW());
      PrivateKey decodedPrivate =
          factory.generatePrivate(new PKCS8EncodedKeySpec(mine.getPrivate().getEncoded()));
      assertThat(((java.security.interfaces.ECPrivateKey) decodedPrivate).getS())
          .isEqualTo(((java.security.interfaces.ECPrivateKey) mine.getPrivate()).getS());
    }
  }

  @Test
  void otherCurvesAndAnUninitializedGeneratorAreLeftToTheJdk() throws Exception {
    KeyPairGenerator p384 = KeyPairGenerator.getInstance("EC");
    p384.initialize(new ECGenParameterSpec("secp384r1"), RANDOM);
    assertThat(
            ((ECPublicKey) p384.generateKeyPair().getPublic()).getParams().getOrder().bitLength())
        .isEqualTo(384);
    // Not initialized: the JDK's default curve, whatever it is, not P-256 made here.
    KeyPairGenerator plain = KeyPairGenerator.getInstance("EC");
    KeyPair pair = plain.generateKeyPair();
    assertThat(plain.getProvider().getName()).isEqualTo("SunEC");
    assertThat(pair.getPublic()).isNotInstanceOf(P256PublicKey.class);
  }

  // --- ECDSA P-256 verification ---

  @Test
  void signaturesVerifyAsTheJdkVerifiesThemAndAlteredOnesDoNot() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC", jdk);
    generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
    KeyPair signerKeys = generator.generateKeyPair();
    KeyPair otherKeys = generator.generateKeyPair();
    for (int i = 0; i < 20; i++) {
      byte[] data = new byte[RANDOM.nextInt(2000)];
      RANDOM.nextBytes(data);
      Signature signer = Signature.getInstance("SHA256withECDSA", jdk);
      signer.initSign(signerKeys.getPrivate());
      signer.update(data);
      byte[] sig = signer.sign();

      assertThat(verify(signerKeys.getPublic(), data, sig)).isTrue();
      // An attacker's signature over the same data, presented as the signer's.
      signer.initSign(otherKeys.getPrivate());
      signer.update(data);
      assertThat(verify(signerKeys.getPublic(), data, signer.sign())).isFalse();
      // The same signature over altered data.
      byte[] altered = data.clone();
      if (altered.length > 0) {
        altered[RANDOM.nextInt(altered.length)] ^= 1;
        assertThat(verify(signerKeys.getPublic(), altered, sig)).isFalse();
      }
      // Altered signatures, one bit anywhere: none verifies, none throws.
      for (int bit = 0; bit < sig.length * 8; bit += 7) {
        byte[] bent = sig.clone();
        bent[bit / 8] ^= (byte) (1 << (bit % 8));
        assertThat(verify(signerKeys.getPublic(), data, bent)).as("bit %d", bit).isFalse();
      }
      assertThat(verify(signerKeys.getPublic(), data, new byte[0])).isFalse();
      assertThat(verify(signerKeys.getPublic(), data, new byte[] {0x30, 0x00})).isFalse();
    }
  }

  private static boolean verify(PublicKey key, byte[] data, byte[] sig) throws Exception {
    Signature verifier = Signature.getInstance("SHA256withECDSA");
    verifier.initVerify(key);
    verifier.update(data);
    boolean ours = verifier.verify(sig);
    assertThat(verifier.getProvider().getName()).isEqualTo(LibcryptoProvider.NAME);
    Signature reference = Signature.getInstance("SHA256withECDSA", jdk);
    reference.initVerify(key);
    reference.update(data);
    boolean theirs;
    try {
      theirs = reference.verify(sig);
    } catch (java.security.SignatureException e) {
      theirs = false; // the JDK throws on some malformed encodings; a refusal either way
    }
    assertThat(ours).as("the same answer as the JDK's").isEqualTo(theirs);
    return ours;
  }

  @Test
  void signingAndOtherCurvesAreLeftToTheJdk() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC", jdk);
    generator.initialize(new ECGenParameterSpec("secp384r1"), RANDOM);
    KeyPair p384 = generator.generateKeyPair();
    Signature signer = Signature.getInstance("SHA256withECDSA");
    signer.initSign(p384.getPrivate());
    signer.update(new byte[] {7});
    byte[] sig = signer.sign();
    assertThat(signer.getProvider().getName()).isEqualTo("SunEC");
    Signature verifier = Signature.getInstance("SHA256withECDSA");
    verifier.initVerify(p384.getPublic());
    verifier.update(new byte[] {7});
    assertThat(verifier.verify(sig)).isTrue();
    assertThat(verifier.getProvider().getName()).isEqualTo("SunEC");
  }

  @Test
  void aPublicKeyWithTheTopBitOfItsUSetStillAgrees() throws Exception {
    // RFC 7748: the receiver masks the top bit. The JDK reduces u modulo p instead; either way a
    // value above 2^255 is only an encoding question, which both sides here must settle alike.
    BigInteger u = BigInteger.ONE.shiftLeft(255).add(BigInteger.valueOf(9));
    XECPublicKey weird =
        (XECPublicKey)
            KeyFactory.getInstance("XDH", jdk)
                .generatePublic(new XECPublicKeySpec(NamedParameterSpec.X25519, u));
    KeyPair mine = KeyPairGenerator.getInstance("XDH").generateKeyPair();
    KeyAgreement ours = KeyAgreement.getInstance("XDH");
    ours.init(mine.getPrivate());
    ours.doPhase(weird, true);
    KeyAgreement reference = KeyAgreement.getInstance("XDH", jdk);
    reference.init(
        KeyFactory.getInstance("XDH", jdk)
            .generatePrivate(new PKCS8EncodedKeySpec(mine.getPrivate().getEncoded())));
    reference.doPhase(weird, true);
    assertThat(ours.generateSecret()).isEqualTo(reference.generateSecret());
  }
}
