package dev.hearth.startd.db;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hearth.error.ErrorKind;
import dev.hearth.error.StartException;
import dev.hearth.patchdb.Commit;
import dev.hearth.patchdb.DbView;
import dev.hearth.patchdb.PatchDb;
import dev.hearth.patchdb.PatchDbOptions;
import dev.hearth.patchdb.RecoveredTail;
import dev.hearth.patchdb.Revision;
import dev.hearth.patchdb.Snapshot;
import dev.hearth.patchdb.Tx;
import dev.hearth.patchdb.Watch;
import dev.hearth.patchdb.json.Json;
import dev.hearth.patchdb.json.JsonCodec;
import dev.hearth.patchdb.json.JsonObject;
import dev.hearth.patchdb.json.JsonPointer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The daemon's database: a {@link PatchDb} holding {@code {"public": …, "private": …}}, migrated to
 * the current schema when opened. Subsystems change it through {@link #mutate}; client-facing code
 * reads it only through {@link #publicView()}.
 *
 * <p>Thread-safe.
 */
public final class Database implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Database.class);

  /**
   * A document takes several times its size on disk in memory: one bigger than a third of the heap
   * is refused with a clear error rather than loaded until the heap runs out (issue 10). The
   * per-package quotas keep a real database far below it.
   */
  private static final long LOAD_SHARE = 3;

  private final PatchDb db;
  private final JsonCodec codec;
  private final DbView publicView;
  private final ObjectMapper strict;

  private Database(PatchDb db, JsonCodec codec) {
    this.db = db;
    this.codec = codec;
    this.publicView = db.view(PublicPaths.ROOT);
    this.strict =
        codec
            .mapper()
            .copy()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
  }

  /**
   * Opens the database in {@code dir} and migrates it.
   *
   * @throws StartException (DATABASE) if it is damaged, in use, or newer than this program
   */
  public static Database open(Path dir, ObjectMapper mapper, Migrations migrations) {
    var codec = new JsonCodec(mapper);
    PatchDb db =
        PatchDb.open(
            dir,
            PatchDbOptions.defaults()
                .withCodec(codec)
                .withMaxLoadBytes(Runtime.getRuntime().maxMemory() / LOAD_SHARE));
    try {
      Commit<Integer> ran = db.transact(migrations::migrate);
      if (ran.value() > 0) {
        log.info("database migrated by {} steps to schema {}", ran.value(), migrations.current());
      }
      return new Database(db, codec);
    } catch (RuntimeException e) {
      db.close();
      throw e;
    }
  }

  /**
   * What opening cut off the end of the journal and kept aside (garbage, or a write a crash
   * interrupted), for the user to be told.
   */
  public List<RecoveredTail> recoveredDamage() {
    return db.recoveredDamage();
  }

  /** Whether setup has written the model (a fresh install has an empty document). */
  public boolean isInitialized() {
    return db.snapshot().get(PrivatePaths.SCHEMA_VERSION.pointer()).isPresent();
  }

  /**
   * Writes the first model, in one transaction, over an empty document.
   *
   * @throws StartException (DATABASE) if the database was already set up
   */
  public void initialize(Json publicModel, Json privateModel) {
    validatePublic(publicModel);
    db.mutate(tx -> {
      if (tx.get(PrivatePaths.SCHEMA_VERSION).isPresent()) {
        throw new StartException(ErrorKind.DATABASE, "the server is already set up");
      }
      tx.put(
          JsonPointer.ROOT, JsonObject.of(Map.of("public", publicModel, "private", privateModel)));
    });
  }

  public Snapshot snapshot() {
    return db.snapshot();
  }

  public long sequence() {
    return db.sequence();
  }

  public Optional<Revision> mutate(Consumer<Tx> change) {
    return db.mutate(change);
  }

  public <R> Commit<R> transact(Function<Tx, R> change) {
    return db.transact(change);
  }

  /** Read access to {@code /public} only: the one view client-facing code may hold. */
  public DbView publicView() {
    return publicView;
  }

  /** An in-process watch for reconcilers; not for client-facing code. */
  public Watch watch(JsonPointer path) {
    return db.watch(path);
  }

  /**
   * Calls {@code listener} with the value at {@code path} now and after each change, on a thread of
   * the database's (changes during a call are coalesced); for reconcilers.
   */
  public dev.hearth.patchdb.Registration onChange(
      JsonPointer path, java.util.function.Consumer<dev.hearth.patchdb.json.Json> listener) {
    return db.onChange(path, listener);
  }

  /** Converts records to and from the database's JSON. */
  public JsonCodec codec() {
    return codec;
  }

  /**
   * Checks that a public model is one: it deserializes as {@link PublicModel}, with no unknown
   * keys.
   *
   * @throws StartException (INVALID_REQUEST) naming what does not fit
   */
  public void validatePublic(Json publicModel) {
    try {
      strict.convertValue(publicModel, PublicModel.class);
    } catch (IllegalArgumentException e) {
      String detail = e.getMessage() == null ? "" : e.getMessage().lines().findFirst().orElse("");
      throw new StartException(
          ErrorKind.INVALID_REQUEST, "the public model would no longer be valid: " + detail);
    }
  }

  @Override
  public void close() {
    db.close();
  }
}
