package dev.hearth.s9pk.archive;

import dev.hearth.s9pk.sign.SignerKey;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * The signed part of the 152-byte header (s9pk.md §2): who signed, the signature, and the
 * commitment it covers. Root TOC position and size are layout, recomputed on every write.
 */
public record ArchiveHeader(SignerKey signer, byte[] signature, Commitment commitment) {
  /** pubkey + signature + sighash + max size + TOC position + TOC size. */
  public static final int SIZE = 32 + 64 + 32 + 8 + 8 + 8;

  public ArchiveHeader {
    if (signature.length != 64) {
      throw new IllegalArgumentException("an Ed25519 signature is 64 bytes");
    }
    signature = signature.clone();
  }

  @Override
  public byte[] signature() {
    return signature.clone();
  }

  /** Whether the signature is a strict Ed25519ph signature of the commitment with this context. */
  public boolean verifies(String context) {
    return signer.verifiesPrehashed(signature, commitment.signedMessage(), context);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ArchiveHeader h
        && signer.equals(h.signer)
        && Arrays.equals(signature, h.signature)
        && commitment.equals(h.commitment);
  }

  @Override
  public int hashCode() {
    return signer.hashCode() * 31 + commitment.hashCode();
  }

  @Override
  public String toString() {
    return "ArchiveHeader[signer "
        + signer.hex()
        + ", signature "
        + HexFormat.of().formatHex(signature)
        + ", "
        + commitment
        + "]";
  }
}
