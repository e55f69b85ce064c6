package dev.hearth.s9pk.hash;

import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;

/** A 32-byte BLAKE3 digest. Immutable: the array is copied in and out. */
public record Blake3Hash(byte[] bytes) {
  public static final int LENGTH = 32;

  public Blake3Hash {
    if (bytes.length != LENGTH) {
      throw new IllegalArgumentException(
          "a BLAKE3 hash is " + LENGTH + " bytes, not " + bytes.length);
    }
    bytes = bytes.clone();
  }

  /** Parses 64 hex digits. */
  public static Blake3Hash fromHex(String hex) {
    return new Blake3Hash(HexFormat.of().parseHex(hex));
  }

  @Override
  public byte[] bytes() {
    return bytes.clone();
  }

  /** Copies the digest into {@code out} at {@code offset}. */
  public void copyTo(byte[] out, int offset) {
    System.arraycopy(bytes, 0, out, offset, LENGTH);
  }

  public String hex() {
    return HexFormat.of().formatHex(bytes);
  }

  /** Standard base64 without padding, as upstream prints commitments (s9pk.md §4). */
  public String base64() {
    return Base64.getEncoder().withoutPadding().encodeToString(bytes);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Blake3Hash h && MessageDigest.isEqual(bytes, h.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    return hex();
  }
}
