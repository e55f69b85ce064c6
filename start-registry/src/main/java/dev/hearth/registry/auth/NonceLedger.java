package dev.hearth.registry.auth;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.Set;

/**
 * The nonces of the signed requests accepted lately, so that none is accepted twice (upstream never
 * records them: rpc.md §2.4). A nonce is kept for as long as its request could still pass the time
 * check; a request signed before this ledger began is refused, since a ledger that lived before it
 * (an earlier run of the process) may have seen it. Thread-safe.
 */
public final class NonceLedger {
  private record Seen(String key, Instant forgetAt) {}

  private final Duration window;
  private final Instant began;
  private final int capacity;
  private final Set<String> seen = new HashSet<>();
  private final ArrayDeque<Seen> order = new ArrayDeque<>();

  /**
   * @param window how far a request's timestamp may be from now
   * @param capacity the most nonces kept at once; past it new requests are refused until old ones
   *     age out (a flood of signed requests cannot grow memory without bound)
   */
  public NonceLedger(Duration window, Instant began, int capacity) {
    this.window = window;
    this.began = began;
    this.capacity = capacity;
  }

  /** Why a request is refused, or null when its nonce is fresh (it is then recorded). */
  public synchronized String refusal(String signer, long nonce, Instant signedAt, Instant now) {
    if (Duration.between(signedAt, now).abs().compareTo(window) > 0) {
      return "the request was signed at "
          + signedAt
          + ", more than "
          + window.toSeconds()
          + " s from this registry's clock ("
          + now
          + ")";
    }
    if (signedAt.getEpochSecond() < began.getEpochSecond()) {
      return "the request was signed before this registry started; sign it again";
    }
    while (!order.isEmpty() && !order.peekFirst().forgetAt().isAfter(now)) {
      seen.remove(order.pollFirst().key());
    }
    String key = signer + "#" + Long.toUnsignedString(nonce);
    if (seen.contains(key)) {
      return "the request was already used (its nonce was seen): a replay is refused";
    }
    if (seen.size() >= capacity) {
      return "too many signed requests at once; try again in a minute";
    }
    seen.add(key);
    order.addLast(new Seen(key, signedAt.plus(window).plusSeconds(1)));
    return null;
  }
}
