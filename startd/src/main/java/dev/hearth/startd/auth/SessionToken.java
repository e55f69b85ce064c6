package dev.hearth.startd.auth;

import dev.hearth.startd.base32.Base32;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Locale;

/**
 * Session tokens and their ids (rpc.md §2.2): a token is 16 random bytes in lowercase base32
 * without padding; its id, the only form stored or shown, is the lowercase base32 of its SHA-256.
 */
public final class SessionToken {
  private SessionToken() {}

  public static String newToken(SecureRandom random) {
    byte[] bytes = new byte[16];
    random.nextBytes(bytes);
    return Base32.encode(bytes).toLowerCase(Locale.ROOT);
  }

  public static String idOf(String token) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.US_ASCII));
      return Base32.encode(digest).toLowerCase(Locale.ROOT);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
