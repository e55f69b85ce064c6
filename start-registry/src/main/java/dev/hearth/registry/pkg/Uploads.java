package dev.hearth.registry.pkg;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Uploads the registry waits for: {@code package.add} without URLs hands out a guid (32 characters
 * of base32, as startd's continuations), the bearer capability to post that one file once, within
 * {@link #WINDOW}.
 */
public final class Uploads {
  static final Duration WINDOW = Duration.ofMinutes(10);
  private static final char[] ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".toCharArray();

  private record Pending(Publisher.Claim claim, Instant expires) {}

  private final Map<String, Pending> pending = new HashMap<>();
  private final SecureRandom random = new SecureRandom();
  private final Clock clock;

  public Uploads(Clock clock) {
    this.clock = clock;
  }

  public synchronized String expect(Publisher.Claim claim) {
    byte[] bytes = new byte[20];
    random.nextBytes(bytes);
    StringBuilder guid = new StringBuilder(32);
    long buffer = 0;
    int bits = 0;
    for (byte b : bytes) {
      buffer = (buffer << 8) | (b & 0xff);
      bits += 8;
      while (bits >= 5) {
        guid.append(ALPHABET[(int) (buffer >>> (bits - 5)) & 31]);
        bits -= 5;
      }
    }
    Instant now = clock.instant();
    pending.values().removeIf(p -> p.expires().isBefore(now));
    pending.put(guid.toString(), new Pending(claim, now.plus(WINDOW)));
    return guid.toString();
  }

  /** The claim an upload was promised with; the guid is used up. */
  public synchronized Optional<Publisher.Claim> claim(String guid) {
    Pending p = pending.remove(guid);
    if (p == null || p.expires().isBefore(clock.instant())) {
      return Optional.empty();
    }
    return Optional.of(p.claim());
  }
}
