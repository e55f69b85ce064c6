package dev.hearth.cli.crypto;

import java.math.BigInteger;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.ProviderException;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/** The curve P-256 (secp256r1, prime256v1) as the keys here describe it. */
final class P256 {
  private P256() {}

  /** X.509 SubjectPublicKeyInfo of id-ecPublicKey on prime256v1, up to the uncompressed point. */
  static final byte[] SPKI_PREFIX =
      HexFormat.of().parseHex("3059301306072a8648ce3d020106082a8648ce3d030107034200");

  /** An SPKI's length: the prefix and a point (0x04, x, y). */
  static final int SPKI_LENGTH = SPKI_PREFIX.length + 65;

  private static final Set<String> NAMES =
      Set.of("secp256r1", "prime256v1", "nist p-256", "p-256", "1.2.840.10045.3.1.7");

  /** The curve's parameters, as the JDK's own provider gives them (its keys compare equal). */
  static final ECParameterSpec SPEC = spec();

  /** The group's order n: a private scalar is in [1, n - 1]. */
  static final BigInteger ORDER = SPEC.getOrder();

  /** Whether {@code spki} is a P-256 key in named-curve form, uncompressed. */
  static boolean isSpki(byte @Nullable [] spki) {
    return spki != null
        && spki.length == SPKI_LENGTH
        && Arrays.equals(spki, 0, SPKI_PREFIX.length, SPKI_PREFIX, 0, SPKI_PREFIX.length);
  }

  static boolean isName(String name) {
    return NAMES.contains(name.toLowerCase(Locale.ROOT));
  }

  /** Whether {@code spec} is P-256's, however it was made. */
  static boolean isSpec(ECParameterSpec spec) {
    return spec.getCofactor() == SPEC.getCofactor()
        && spec.getOrder().equals(SPEC.getOrder())
        && spec.getGenerator().equals(SPEC.getGenerator())
        && spec.getCurve().equals(SPEC.getCurve());
  }

  private static ECParameterSpec spec() {
    try {
      AlgorithmParameters params = AlgorithmParameters.getInstance("EC");
      params.init(new ECGenParameterSpec("secp256r1"));
      return params.getParameterSpec(ECParameterSpec.class);
    } catch (GeneralSecurityException e) {
      throw new ProviderException("this Java runtime does not know P-256", e);
    }
  }
}
