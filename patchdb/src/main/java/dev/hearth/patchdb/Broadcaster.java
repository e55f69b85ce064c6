package dev.hearth.patchdb;

import dev.hearth.error.ErrorKind;
import dev.hearth.error.StartException;
import dev.hearth.patchdb.json.Json;
import dev.hearth.patchdb.json.JsonPatch;
import dev.hearth.patchdb.json.JsonPointer;
import dev.hearth.patchdb.json.PatchOp;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Publishes committed revisions: hands each subscriber its re-rooted patch, then swaps in the new
 * snapshot (so a sequence number read from it is one every subscriber already holds), then wakes
 * the watches the revision may touch. Taking a dump and registering a subscriber happen under the
 * same lock as publishing, so a subscriber sees every revision after its dump exactly once.
 *
 * <p>Publishing never blocks on a subscriber: buffers are bounded and a full one ends its
 * subscription.
 */
final class Broadcaster {
  /** A revision and the document it produced, ready to publish. */
  record Committed(Revision revision, Json documentAfter) {}

  private final ReentrantLock lock = new ReentrantLock();
  private final int bufferRevisions;
  // Each subscription with its pointer from the document root. Concurrent maps, because ending a
  // subscription removes it, possibly while a publish iterates.
  private final Map<Subscription, JsonPointer> subscribers = new ConcurrentHashMap<>();
  private final Set<Watch> watches = ConcurrentHashMap.newKeySet();
  private volatile Snapshot current;
  private boolean closed; // guarded by lock

  Broadcaster(Snapshot initial, int bufferRevisions) {
    this.current = initial;
    this.bufferRevisions = bufferRevisions;
  }

  Snapshot current() {
    return current;
  }

  /**
   * @param absolute the pointer from the document root
   * @param shown the pointer as the caller named it (relative to its view)
   */
  Subscription subscribe(JsonPointer absolute, JsonPointer shown) {
    lock.lock();
    try {
      throwIfClosed();
      Snapshot snapshot = current;
      var subscription =
          new Subscription(
              shown,
              new Dump(snapshot.revision(), snapshot.root().atOrNull(absolute)),
              bufferRevisions,
              subscribers::remove);
      subscribers.put(subscription, absolute);
      return subscription;
    } finally {
      lock.unlock();
    }
  }

  Watch watch(JsonPointer absolute) {
    lock.lock();
    try {
      throwIfClosed();
      var watch = new Watch(absolute, this::current, watches::remove);
      watches.add(watch);
      return watch;
    } finally {
      lock.unlock();
    }
  }

  /** Publishes revisions in order; called by the commit leader only. */
  void publish(List<Committed> batch) {
    lock.lock();
    try {
      for (Committed committed : batch) {
        Revision revision = committed.revision();
        // Subscribers of the same pointer share one re-rooted revision (and so can share its
        // serialized form).
        Map<JsonPointer, Revision> scopedByPointer = new HashMap<>();
        for (var s : subscribers.entrySet()) {
          Revision scoped =
              scopedByPointer.computeIfAbsent(
                  s.getValue(),
                  at ->
                      new Revision(
                          revision.id(),
                          Scoping.scope(revision.patch(), at, committed.documentAfter())));
          if (!scoped.patch().isEmpty()) {
            s.getKey().deliver(scoped);
          }
        }
        // Only now does the sequence number advance: whoever reads it (a nudge, say) may rely on
        // every subscriber already holding the revision. Watches read the new snapshot.
        current = new Snapshot(revision.id(), committed.documentAfter(), current.codec());
        for (Watch w : watches) {
          if (touches(revision.patch(), w.path())) {
            w.signal();
          }
        }
      }
    } finally {
      lock.unlock();
    }
  }

  private static boolean touches(JsonPatch patch, JsonPointer path) {
    for (PatchOp op : patch.ops()) {
      if (Scoping.mayAffect(op, path)) {
        return true;
      }
    }
    return false;
  }

  /** Ends every subscription and watch; later calls to subscribe or watch fail. */
  void close() {
    lock.lock();
    try {
      closed = true;
    } finally {
      lock.unlock();
    }
    for (Subscription s : subscribers.keySet()) {
      s.end(Subscription.Ending.DATABASE_CLOSED);
    }
    for (Watch w : watches) {
      w.close();
    }
  }

  private void throwIfClosed() {
    if (closed) {
      throw new StartException(ErrorKind.DATABASE, "the database is closed");
    }
  }
}
