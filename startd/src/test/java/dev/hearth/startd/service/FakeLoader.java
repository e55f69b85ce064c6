package dev.hearth.startd.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import dev.hearth.error.ErrorKind;
import dev.hearth.error.StartException;
import dev.hearth.startd.service.model.PackageId;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * A {@link Loader} whose services are plain objects: each call is recorded in one journal (so a
 * test can read the order of everything that happened), and a test scripts failures. What a real
 * package's init and exit do to its data is played by writing {@code data/version} in its volumes:
 * init writes the archive's version there (and sets the data version), exit the target it migrates
 * to.
 */
final class FakeLoader implements Loader {
  final List<String> journal = Collections.synchronizedList(new ArrayList<>());
  final List<FakeInstance> instances = Collections.synchronizedList(new ArrayList<>());
  private final DataDirs dirs;

  /** How many of the next inits, starts and exits fail. */
  final AtomicInteger failInits = new AtomicInteger();

  final AtomicInteger failStarts = new AtomicInteger();
  final AtomicInteger failExits = new AtomicInteger();

  /** When set, the next init waits for it (to test what happens meanwhile). */
  volatile @Nullable CountDownLatch holdInit;

  /** When set, the next action run waits for it. */
  volatile @Nullable CountDownLatch holdAction;

  FakeLoader(DataDirs dirs) {
    this.dirs = dirs;
  }

  @Override
  public ServiceInstance load(PackageId id, Path archive) {
    String version;
    try {
      version = Files.readString(archive).substring("package ".length());
    } catch (java.io.IOException e) {
      throw new StartException(ErrorKind.FILESYSTEM, "no archive", e);
    }
    var i = new FakeInstance(id, archive, version);
    instances.add(i);
    journal.add(id + " load " + archive.getFileName());
    return i;
  }

  @Override
  public void checkCanRun() {}

  @Override
  public void checkContents(PackageFile pkg) {}

  FakeInstance last() {
    return instances.getLast();
  }

  final class FakeInstance implements ServiceInstance {
    private final PackageId id;
    final Path archive;
    final String version;
    final CompletableFuture<Void> ended = new CompletableFuture<>();
    volatile boolean initialized;
    volatile boolean running;
    volatile boolean closed;

    FakeInstance(PackageId id, Path archive, String version) {
      this.id = id;
      this.archive = archive;
      this.version = version;
    }

    @Override
    public PackageId id() {
      return id;
    }

    @Override
    public void init(InitKind kind) throws InterruptedException {
      journal.add(id + " init " + kind);
      CountDownLatch hold = holdInit;
      if (hold != null) {
        holdInit = null;
        hold.await();
      }
      if (failInits.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
        throw new StartException(ErrorKind.UNKNOWN, "init failed");
      }
      // As an SDK package does: its data now is this version's, and says so.
      writeData("data of " + version);
      DataVersion.write(dirs.dataVersionFile(id), version);
      initialized = true;
    }

    @Override
    public boolean isInitialized() {
      return initialized;
    }

    @Override
    public void start() {
      journal.add(id + " start");
      if (failStarts.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
        throw new StartException(ErrorKind.UNKNOWN, "start failed");
      }
      running = true;
    }

    @Override
    public void stop() {
      journal.add(id + " stop");
      running = false;
    }

    @Override
    public void exit(@Nullable String target) {
      journal.add(id + " exit " + target);
      if (failExits.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
        throw new StartException(ErrorKind.UNKNOWN, "exit failed");
      }
      running = false;
      writeData("migrated to " + target);
    }

    @Override
    public JsonNode execute(
        String eventId, String procedure, JsonNode input, @Nullable Duration timeout)
        throws InterruptedException {
      journal.add(id + " execute " + procedure);
      CountDownLatch hold = holdAction;
      if (hold != null && procedure.endsWith("/run")) {
        holdAction = null;
        hold.await();
      }
      return NullNode.instance;
    }

    @Override
    public CompletableFuture<?> ended() {
      return ended;
    }

    /** The runtime dies on its own. */
    void die() {
      running = false;
      ended.complete(null);
    }

    @Override
    public List<String> recentOutput() {
      return List.of("last words of " + id);
    }

    @Override
    public void close() {
      if (!closed) {
        journal.add(id + " close");
      }
      closed = true;
      running = false;
    }

    private void writeData(String what) {
      try {
        Path data = dirs.packageVolumes(id).resolve("data");
        Files.createDirectories(data);
        Files.writeString(data.resolve("version"), what);
      } catch (java.io.IOException e) {
        throw new StartException(ErrorKind.FILESYSTEM, "fake data", e);
      }
    }
  }
}
