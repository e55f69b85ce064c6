package dev.hearth.startd.auth;

import dev.hearth.error.ErrorKind;
import dev.hearth.error.StartException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Limits password guesses per client address with a leaky bucket: each failed login adds one, the
 * bucket drains at one per {@link #DRAIN}, and a full bucket refuses logins from that address until
 * it drains (code 37). A successful login empties the bucket.
 *
 * <p>Upstream counts attempts for the whole process, so one attacker locks everybody out; here a
 * guesser only slows itself down, and the owner on another address is never refused. At most {@link
 * #MAX_ADDRESSES} addresses are tracked (the least recently seen are forgotten), so a flood of
 * addresses cannot grow memory.
 *
 * <p>Thread-safe.
 */
public final class LoginLimiter {
  static final int BURST = 5; // free guesses before waiting: typos are human
  static final Duration DRAIN = Duration.ofSeconds(20); // then one guess per 20 s
  static final int MAX_ADDRESSES = 4096;

  private record Bucket(double level, Instant at) {}

  private final InstantSource clock;
  private final Map<InetAddress, Bucket> buckets =
      new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<InetAddress, Bucket> eldest) {
          return size() > MAX_ADDRESSES;
        }
      }; // guarded by this

  public LoginLimiter(InstantSource clock) {
    this.clock = clock;
  }

  /**
   * Counts an attempt from an address before its password is checked, or refuses it when the
   * address's bucket is full. Counting first means concurrent attempts cannot all slip past the
   * limit while the slow hash runs; a successful attempt takes its count back ({@link #succeeded}).
   *
   * @throws StartException (RATE_LIMITED) saying when to try again
   */
  public synchronized void reserve(InetAddress address) {
    InetAddress key = key(address);
    double level = drained(key);
    if (level >= BURST) {
      long wait = (long) Math.ceil((level - BURST + 1) * DRAIN.toSeconds());
      throw new StartException(
          ErrorKind.RATE_LIMITED,
          "too many failed logins from this address; try again in " + wait + " s");
    }
    buckets.put(key, new Bucket(level + 1, clock.instant()));
  }

  /** The attempt was right: the address starts afresh. */
  public synchronized void succeeded(InetAddress address) {
    buckets.remove(key(address));
  }

  /**
   * IPv4 addresses count one by one; IPv6 by their /64, the block one host or network typically
   * holds, so walking through addresses of one's own prefix gains nothing.
   */
  static InetAddress key(InetAddress address) {
    if (address instanceof Inet6Address) {
      byte[] bytes = address.getAddress();
      java.util.Arrays.fill(bytes, 8, 16, (byte) 0);
      try {
        return InetAddress.getByAddress(bytes);
      } catch (java.net.UnknownHostException e) {
        throw new IllegalStateException("16 bytes are an IPv6 address", e);
      }
    }
    return address;
  }

  private double drained(InetAddress address) {
    Bucket b = buckets.get(address);
    if (b == null) {
      return 0;
    }
    double elapsed = Duration.between(b.at(), clock.instant()).toMillis();
    return Math.max(0, b.level() - elapsed / DRAIN.toMillis());
  }
}
