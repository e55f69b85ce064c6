package dev.hearth.s9pk.sign;

import dev.hearth.error.ErrorKind;
import dev.hearth.error.StartException;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * An Ed25519 signature as the registry and signed requests write it (s9pk.md §12): PEM labelled
 * {@code SIGNATURE} around DER {@code SEQUENCE { AlgorithmIdentifier(1.3.101.112), OCTET STRING
 * sig[64] }}.
 */
public final class SignaturePem {
  private SignaturePem() {}

  // SEQUENCE(0x49) { SEQUENCE { OID 1.3.101.112 }, OCTET STRING (64 bytes) }
  private static final byte[] PREFIX = HexFormat.of().parseHex("3049300506032b65700440");

  public static String encode(byte[] signature) {
    if (signature.length != 64) {
      throw new IllegalArgumentException("an Ed25519 signature is 64 bytes");
    }
    byte[] der = Arrays.copyOf(PREFIX, PREFIX.length + 64);
    System.arraycopy(signature, 0, der, PREFIX.length, 64);
    return Pem.encode("SIGNATURE", der);
  }

  /**
   * @throws StartException PEM if it is not an Ed25519 signature in that form
   */
  public static byte[] decode(String pem) {
    byte[] der = Pem.decode("SIGNATURE", pem);
    if (der.length != PREFIX.length + 64
        || !Arrays.equals(der, 0, PREFIX.length, PREFIX, 0, PREFIX.length)) {
      throw new StartException(ErrorKind.PEM, "the SIGNATURE is not an Ed25519 signature");
    }
    return Arrays.copyOfRange(der, PREFIX.length, der.length);
  }
}
