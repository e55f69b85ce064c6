package dev.hearth.patchdb;

import dev.hearth.error.ErrorKind;
import dev.hearth.error.StartException;
import dev.hearth.patchdb.json.Json;
import dev.hearth.patchdb.json.JsonDiff;
import dev.hearth.patchdb.json.JsonPatch;
import dev.hearth.patchdb.json.JsonPointer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.LongConsumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A durable, reactive JSON document: the database of {@code startd} and the registry (patchdb.md).
 *
 * <h2>Model</h2>
 *
 * One JSON document. {@link #mutate} runs a transaction against it; if the document changed, the
 * transaction becomes a {@link Revision}: the next sequence number and the RFC 6902 patch from the
 * old document to the new. Readers take {@link #snapshot()}s, which are immutable and always whole.
 * {@link #subscribe} streams a subtree as a dump and then its re-rooted patches; {@link #watch} and
 * {@link #onChange} serve in-process reconcilers.
 *
 * <h2>Commit protocol and threading</h2>
 *
 * <ol>
 *   <li>Under {@code writeLock}, a transaction runs on the newest document (including revisions not
 *       yet durable, so transactions are serialized), its diff is appended to the journal with one
 *       write, and it joins the {@code pending} queue.
 *   <li>Its thread then takes {@code syncLock}. If an earlier leader's fsync already covered its
 *       revision, it returns at once. Otherwise it leads: it notes the newest appended revision,
 *       fsyncs the journal once for everything appended so far (group commit), publishes every
 *       pending revision up to that point in order, and returns. Writers that arrive during the
 *       fsync append freely and are covered by the next leader.
 * </ol>
 *
 * So {@code mutate} returns only once its revision is on disk, and readers and subscribers see a
 * revision only once it is durable and in order. If a write fails the journal is cut back and the
 * transaction fails; if an fsync fails, the database refuses all further writes (the kernel may
 * have dropped the unsynced pages, so nothing after that point can be trusted) and keeps serving
 * the last durable state to readers.
 *
 * <p>Compaction: once the journal holds more than the configured bytes, the leader rolls to a new
 * segment and hands the document as of the roll to the {@link Compactor}, which writes a snapshot
 * and deletes the older files, off the commit path.
 *
 * <p>All public methods are thread-safe. A transaction must not call back into its database.
 *
 * <h2>Public and private data</h2>
 *
 * Callers that serve clients keep two roots, such as {@code /public} and {@code /private}, and hand
 * client-facing code only a {@link #view(JsonPointer)} of the public one: a view cannot name
 * anything outside its root, so nothing private can be dumped or streamed through it.
 */
public final class PatchDb implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(PatchDb.class);

  private final Path dir;
  private final PatchDbOptions options;
  private final FileChannel lockFile;
  private final FileLock lock;
  private final Broadcaster broadcaster;
  private final Compactor compactor;
  private final Set<Registration> registrations = ConcurrentHashMap.newKeySet();
  private final List<RecoveredTail> recoveredDamage;

  private final ReentrantLock writeLock = new ReentrantLock();
  private final ReentrantLock syncLock = new ReentrantLock();

  // Guarded by writeLock.
  private Json head;
  private long headRevision;
  private JournalWriter journal;
  private long journalBytes;
  private final ArrayDeque<Broadcaster.Committed> pending = new ArrayDeque<>();
  private boolean closed;

  // Written under syncLock; read anywhere.
  private volatile long durableRevision;
  private volatile @Nullable Throwable failure;

  private final AtomicLong fsyncs = new AtomicLong();

  /** Opening replayed this many revisions or more: write a snapshot straight away. */
  static final int REPLAY_COMPACTION_REVISIONS = 1024;

  /**
   * Closing with this many revisions or more in the journal writes a snapshot first, so that the
   * next open reads one document instead of replaying them. A freshly set-up server's journal holds
   * about 200, and replaying them was a tenth of the daemon's start to ready.
   */
  static final int CLOSE_COMPACTION_REVISIONS = 64;

  /** Test seam: runs in the commit leader just before its fsync, with the revision it covers. */
  private volatile LongConsumer beforeSync = revision -> {};

  private PatchDb(
      Path dir, PatchDbOptions options, FileChannel lockFile, FileLock lock, Recovery.Result r) {
    this.dir = dir;
    this.options = options;
    this.lockFile = lockFile;
    this.lock = lock;
    this.head = r.document();
    this.headRevision = r.revision();
    this.durableRevision = r.revision();
    this.journal = r.writer();
    this.journalBytes = r.journalBytes();
    this.broadcaster =
        new Broadcaster(
            new Snapshot(r.revision(), r.document(), options.codec()),
            options.subscriberBufferRevisions());
    this.compactor = new Compactor(dir, options.codec(), r.snapshotBytes());
    this.recoveredDamage = List.copyOf(r.recoveredTails());
  }

  /** Opens (or creates) the database in {@code dir} with default options. */
  public static PatchDb open(Path dir) {
    return open(dir, PatchDbOptions.defaults());
  }

  /**
   * Opens (or creates) the database in {@code dir}, replaying its journal.
   *
   * <p>Files are created readable by their owner only (0600, in a 0700 directory: the document
   * holds secrets), and files of an existing database that others could access are restricted so.
   *
   * <p>Bytes at the end of the newest journal segment that are not a record, and after which no
   * valid record follows, are cut off; unless they are all zeros they are first kept in a side file
   * and reported by {@link #recoveredDamage()}.
   *
   * @throws StartException (DATABASE) if another process or another {@code PatchDb} in this one has
   *     it open, if its files are damaged anywhere but at the end of the newest segment (the
   *     message names the file and byte), or if its snapshot and journal are larger than {@link
   *     PatchDbOptions#maxLoadBytes()} or than the heap can hold (the message gives both sizes); in
   *     each case nothing is changed on disk; (FILESYSTEM) if it cannot be read or written
   */
  public static PatchDb open(Path dir, PatchDbOptions options) {
    long started = System.nanoTime();
    FileChannel lockFile = null;
    try {
      OwnerOnly.createDirectory(dir);
      lockFile =
          FileChannel.open(
              dir.resolve(DiskFormat.LOCK_NAME),
              Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE),
              OwnerOnly.file(dir));
      FileLock lock;
      try {
        lock = lockFile.tryLock();
      } catch (OverlappingFileLockException e) {
        throw new StartException(
            ErrorKind.DATABASE, "the database at " + dir + " is already open in this process");
      }
      if (lock == null) {
        throw new StartException(
            ErrorKind.DATABASE, "the database at " + dir + " is open in another process");
      }
      List<Path> tightened = OwnerOnly.tighten(dir);
      if (!tightened.isEmpty()) {
        log.warn("patchdb {}: other users could access {}; now only its owner can", dir, tightened);
      }
      Recovery.Result r =
          Recovery.recover(dir, options.codec(), options.initialDocument(), options.maxLoadBytes());
      for (Path obsolete : r.obsolete()) {
        Files.deleteIfExists(obsolete);
      }
      var db = new PatchDb(dir, options, lockFile, lock, r);
      if (r.replayed() >= REPLAY_COMPACTION_REVISIONS) {
        db.compactSoon(); // the next open should not replay all of this again
      }
      log.info(
          "patchdb {} opened at revision {} in {} ms ({} revisions replayed)",
          dir,
          r.revision(),
          (System.nanoTime() - started) / 1_000_000,
          r.replayed());
      return db;
    } catch (IOException e) {
      closeQuietly(lockFile);
      throw new StartException(ErrorKind.FILESYSTEM, "cannot open the database at " + dir, e);
    } catch (RuntimeException | Error e) {
      closeQuietly(lockFile);
      throw e;
    }
  }

  /**
   * What opening cut off the end of the journal and kept aside, for the caller to report to whoever
   * runs the database: bytes that were not a record and after which no valid record followed, so
   * that no acknowledged revision was lost, but that may be a sign of something worse than a crash
   * (docs/patchdb.md, "Opening and recovery"). Empty when the journal ended cleanly, or only with
   * zeros. Each kept file stays until someone deletes it.
   */
  public List<RecoveredTail> recoveredDamage() {
    return recoveredDamage;
  }

  /** The newest durable state. */
  public Snapshot snapshot() {
    return broadcaster.current();
  }

  /** The newest durable revision number ({@code X-Patch-Sequence}). */
  public long sequence() {
    return broadcaster.current().revision();
  }

  /**
   * Runs a transaction; see {@link #transact}.
   *
   * @return the revision, or empty if the document did not change
   */
  public Optional<Revision> mutate(Consumer<Tx> change) {
    return transact(
            tx -> {
              change.accept(tx);
              return null;
            })
        .revision();
  }

  /**
   * Runs {@code change} as a transaction and commits what it did. Blocks until the revision is
   * durable and published, so a {@link #snapshot()} taken afterwards includes it. Transactions are
   * serialized; concurrent ones share fsyncs.
   *
   * @throws StartException whatever {@code change} throws, with nothing applied; (DATABASE) if the
   *     database is closed, has failed, or the patch is over the size limit; (FILESYSTEM) if the
   *     journal cannot be written
   * @throws IllegalStateException if called from inside a transaction of this database
   */
  public <R> Commit<R> transact(Function<Tx, R> change) {
    if (writeLock.isHeldByCurrentThread()) {
      throw new IllegalStateException("a transaction cannot start another on the same database");
    }
    Revision revision;
    R value;
    writeLock.lock();
    try {
      throwIfUnwritable();
      Tx tx = new Tx(head, options.codec());
      value = change.apply(tx);
      Json after = tx.root();
      JsonPatch patch = JsonDiff.diff(head, after);
      if (patch.isEmpty()) {
        return new Commit<>(value, Optional.empty());
      }
      revision = new Revision(headRevision + 1, patch);
      append(revision);
      head = after;
      headRevision = revision.id();
      pending.add(new Broadcaster.Committed(revision, after));
    } finally {
      writeLock.unlock();
    }
    awaitDurable(revision.id());
    return new Commit<>(value, Optional.of(revision));
  }

  /** Writes the record; on failure cuts the journal back so no partial record stays. */
  private void append(Revision revision) {
    byte[] payload;
    try {
      payload = options.codec().patchBytes(revision.patch());
    } catch (IOException e) {
      throw new StartException(ErrorKind.SERIALIZATION, "cannot encode revision", e);
    }
    if (payload.length > options.maxRevisionBytes()) {
      throw new StartException(
          ErrorKind.DATABASE,
          "the change is "
              + payload.length
              + " bytes, over the limit of "
              + options.maxRevisionBytes()
              + " for one revision");
    }
    ByteBuffer record = DiskFormat.record(revision.id(), payload);
    long before = journal.size();
    try {
      journal.append(record);
      journalBytes += record.limit();
    } catch (IOException e) {
      try {
        journal.truncate(before);
      } catch (IOException truncateFailed) {
        e.addSuppressed(truncateFailed);
        failure = e;
      }
      throw new StartException(
          ErrorKind.FILESYSTEM, "cannot write revision " + revision.id() + " to the journal", e);
    }
  }

  private void awaitDurable(long revision) {
    syncLock.lock();
    try {
      if (durableRevision >= revision) {
        return;
      }
      Throwable failed = failure;
      if (failed != null) {
        throw failedException(failed);
      }
      lead();
    } finally {
      syncLock.unlock();
    }
  }

  /** The commit leader's turn: one fsync for everything appended, then publish. */
  private void lead() {
    long target;
    JournalWriter writer;
    writeLock.lock();
    try {
      target = headRevision;
      writer = journal;
    } finally {
      writeLock.unlock();
    }
    beforeSync.accept(target);
    try {
      writer.force();
      fsyncs.incrementAndGet();
    } catch (IOException e) {
      failure = e;
      log.error("patchdb {}: fsync failed; refusing further writes", dir, e);
      throw failedException(e);
    }
    publishUpTo(target);
    maybeCompact();
  }

  /** Publishes pending revisions up to {@code target}; caller holds syncLock. */
  private void publishUpTo(long target) {
    List<Broadcaster.Committed> batch = new ArrayList<>();
    writeLock.lock();
    try {
      while (!pending.isEmpty() && pending.peek().revision().id() <= target) {
        batch.add(pending.poll());
      }
    } finally {
      writeLock.unlock();
    }
    durableRevision = target;
    broadcaster.publish(batch);
  }

  /** Rolls the journal and hands a snapshot to the compactor now, whatever its size. */
  private void compactSoon() {
    syncLock.lock();
    try {
      compact(0);
    } finally {
      syncLock.unlock();
    }
  }

  /**
   * Hands a snapshot to the compactor if the journal holds enough revisions to be worth it; the
   * compactor's close waits for it. Caller holds syncLock.
   */
  private void compactBeforeClosing() {
    boolean worth;
    writeLock.lock();
    try {
      worth =
          !closed
              && failure == null
              && headRevision - journal.firstRevision() + 1 >= CLOSE_COMPACTION_REVISIONS;
    } finally {
      writeLock.unlock();
    }
    if (worth) {
      compact(0);
    }
  }

  /** Rolls the journal and starts a snapshot once the journal is large; caller holds syncLock. */
  private void maybeCompact() {
    compact(Math.max(options.compactAfterBytes(), compactor.lastSnapshotBytes()));
  }

  /**
   * Rolls the journal and starts a snapshot if it holds at least {@code threshold} bytes; caller
   * holds syncLock. Failure here costs nothing durable, so it is logged and retried at the next
   * commit.
   */
  private void compact(long threshold) {
    if (!compactor.idle()) {
      return;
    }
    long revision;
    Json document;
    writeLock.lock();
    try {
      if (journalBytes < threshold || journalBytes <= DiskFormat.SEGMENT_HEADER_BYTES || closed) {
        return;
      }
      try {
        journal.force(); // records appended since our fsync must be durable before the roll
      } catch (IOException e) {
        // As in lead(): after a failed fsync the kernel may have dropped pages, and a later
        // fsync of the same file can succeed anyway. Nothing after this point can be trusted.
        failure = e;
        log.error(
            "patchdb {}: fsync before a journal roll failed; refusing further writes", dir, e);
        return;
      }
      JournalWriter next = JournalWriter.create(dir, headRevision + 1);
      journal.close();
      journal = next;
      journalBytes = journal.size();
      revision = headRevision;
      document = head;
    } catch (IOException e) {
      log.warn("patchdb {}: could not roll the journal; will retry", dir, e);
      return;
    } finally {
      writeLock.unlock();
    }
    compactor.offer(revision, document);
  }

  /**
   * A stream of the value at {@code pointer}: a dump, then every revision that touches it.
   *
   * @throws StartException (DATABASE) if the database is closed
   */
  public Subscription subscribe(JsonPointer pointer) {
    return broadcaster.subscribe(pointer, pointer);
  }

  /**
   * A watch on the value at {@code path}.
   *
   * @throws StartException (DATABASE) if the database is closed
   */
  public Watch watch(JsonPointer path) {
    return broadcaster.watch(path);
  }

  /**
   * Calls {@code listener} with the value at {@code path} now, then after each change, on a virtual
   * thread owned by this database. Changes that land while the listener runs are coalesced. A
   * listener that throws is logged and called again at the next change.
   */
  public Registration onChange(JsonPointer path, Consumer<Json> listener) {
    var registration = new Registration(watch(path), listener, registrations::remove);
    registrations.add(registration);
    return registration;
  }

  /** A read-only view of the subtree at {@code root}, which cannot reach outside it. */
  public DbView view(JsonPointer root) {
    return new DbView(this, root);
  }

  Subscription subscribeAbsolute(JsonPointer absolute, JsonPointer shown) {
    return broadcaster.subscribe(absolute, shown);
  }

  /** Counters for benchmarks and tests. */
  public record Stats(long revision, long fsyncs, long compactions) {}

  public Stats stats() {
    return new Stats(sequence(), fsyncs.get(), compactor.compactions());
  }

  void beforeSync(LongConsumer hook) {
    this.beforeSync = hook;
  }

  long headRevisionForTest() {
    writeLock.lock();
    try {
      return headRevision;
    } finally {
      writeLock.unlock();
    }
  }

  /**
   * Finishes what is in flight (every appended revision is made durable and published), then closes
   * subscriptions, watches and files. Transactions started afterwards fail.
   */
  @Override
  public void close() {
    syncLock.lock();
    try {
      compactBeforeClosing();
      writeLock.lock();
      try {
        if (closed) {
          return;
        }
        closed = true;
        if (failure == null && headRevision > durableRevision) {
          try {
            journal.force();
            fsyncs.incrementAndGet();
          } catch (IOException e) {
            failure = e;
            log.error("patchdb {}: final fsync failed", dir, e);
          }
        }
      } finally {
        writeLock.unlock();
      }
      if (failure == null) {
        publishUpTo(headRevision);
      }
    } finally {
      syncLock.unlock();
    }
    for (Registration registration : List.copyOf(registrations)) {
      registration.close();
    }
    broadcaster.close();
    try {
      compactor.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      journal.close();
      lock.release();
    } catch (IOException e) {
      log.warn("patchdb {}: error while closing", dir, e);
    } finally {
      closeQuietly(lockFile);
    }
    log.info("patchdb {} closed at revision {}", dir, durableRevision);
  }

  private void throwIfUnwritable() {
    if (closed) {
      throw new StartException(ErrorKind.DATABASE, "the database at " + dir + " is closed");
    }
    Throwable failed = failure;
    if (failed != null) {
      throw failedException(failed);
    }
  }

  private StartException failedException(Throwable cause) {
    return new StartException(
        ErrorKind.DATABASE,
        "the database at "
            + dir
            + " stopped accepting writes after an I/O failure; reopen it to recover",
        cause);
  }

  private static void closeQuietly(@Nullable FileChannel channel) {
    if (channel != null) {
      try {
        channel.close();
      } catch (IOException ignored) {
        // closing after a failure already being reported
      }
    }
  }
}
