package dev.hearth.startd.service;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.hearth.api.FullProgress;
import dev.hearth.patchdb.json.Json;
import dev.hearth.patchdb.json.JsonPointer;
import dev.hearth.s9pk.manifest.Manifest;
import dev.hearth.s9pk.manifest.ManifestJson;
import dev.hearth.s9pk.sign.DeveloperKey;
import dev.hearth.startd.continuation.Continuations;
import dev.hearth.startd.continuation.ProgressTracker;
import dev.hearth.startd.db.Database;
import dev.hearth.startd.db.Migrations;
import dev.hearth.startd.notification.Notifications;
import dev.hearth.startd.service.model.PackageEntry;
import dev.hearth.startd.service.model.PackageId;
import dev.hearth.startd.service.model.PackagePaths;
import dev.hearth.startd.service.model.StatusInfo;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * The service wing as the daemon builds it, with a real database and real files in a temporary
 * directory, and fakes for containers and time: fast, and every transition observable.
 */
final class TestWing implements AutoCloseable {
  static final PackageId HELLO = PackageId.of("hello");
  static final ObjectMapper MAPPER =
      JsonMapper.builder().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();
  private static final SecureRandom RANDOM = new SecureRandom();

  final Path dir;
  final Database db;
  final DataDirs dirs;
  final FakeLoader loader;
  final ManualScheduler time;
  final Services services;
  final DeveloperKey developer;

  /** Throws at the checkpoint a test names, as a crash would stop the daemon there. */
  volatile Checkpoint crashAt;

  static final class SimulatedCrash extends Error {
    SimulatedCrash(Checkpoint at) {
      super("crashed at " + at);
    }
  }

  TestWing(Path dir) {
    this(dir, DeveloperKey.generate(RANDOM), null);
  }

  private TestWing(Path dir, DeveloperKey developer, ManualScheduler time) {
    this.dir = dir;
    this.developer = developer;
    this.db = Database.open(dir.resolve("db"), MAPPER, Migrations.standard());
    if (db.snapshot().get(PackagePaths.ALL).isEmpty()) {
      db.mutate(tx ->
          tx.put(
              JsonPointer.ROOT,
              Json.parse(
                  """
                  {"public":{"serverInfo":{"unreadNotificationCount":0},"packageData":{},
                   "notifications":{}},"private":{"packages":{}}}\
                  """)));
    }
    this.dirs = new DataDirs(dir.resolve("data"));
    this.loader = new FakeLoader(dirs);
    this.time = time == null ? new ManualScheduler() : time;
    this.services =
        new Services(
            db,
            dir.resolve("data"),
            new UnavailableSandboxes("no containers in this test"),
            (s, logs) -> loader,
            new Continuations(RANDOM, this.time),
            new Notifications(db, this.time),
            MAPPER,
            this.time,
            this.time,
            c -> {
              if (c == crashAt) {
                throw new SimulatedCrash(c);
              }
            },
            "boot-1",
            "x86_64",
            Set.of());
  }

  /**
   * The daemon died: nothing is closed cleanly. A new wing opens the same database and files and
   * boots, which recovers what the crash interrupted.
   */
  TestWing crashAndBoot() {
    return crashAndBoot(next -> {});
  }

  /** Like {@link #crashAndBoot()}, with {@code beforeBoot} scripting the new wing's fakes. */
  TestWing crashAndBoot(java.util.function.Consumer<TestWing> beforeBoot) {
    db.close();
    TestWing next = new TestWing(dir, developer, time);
    beforeBoot.accept(next);
    next.services.boot();
    return next;
  }

  static Manifest manifest(String version) {
    String json =
        "{\"id\":\"hello\",\"version\":\""
            + version
            + "\",\"canMigrateTo\":\"*\",\"canMigrateFrom\":\"*\",\"title\":\"Hello\","
            + "\"description\":{\"short\":\"s\",\"long\":\"l\"},\"releaseNotes\":\"r\","
            + "\"license\":\"MIT\",\"upstreamRepo\":\"https://example.org\",\"images\":{},"
            + "\"volumes\":[\"main\"]}";
    return ManifestJson.parse(json.getBytes(StandardCharsets.UTF_8));
  }

  /** An uploaded package of {@code version}, as the installer hands it on once verified. */
  VerifiedPackage upload(String version) throws Exception {
    Path file = dirs.downloading().resolve(LoadedService.guid() + ".s9pk");
    Files.writeString(file, "package " + version);
    byte[] sighash = new byte[32];
    RANDOM.nextBytes(sighash);
    return new VerifiedPackage(
        file, manifest(version), sighash, developer.publicKey(), "data:image/png;base64,", null);
  }

  /** Installs (or updates to) {@code version}; the future reports the outcome. */
  CompletableFuture<Void> install(String version) throws Exception {
    VerifiedPackage pkg = upload(version);
    return services.install(
        new Transition.Install(
            pkg,
            new ProgressTracker(FullProgress.of("Installing")),
            null,
            new CompletableFuture<>()));
  }

  Optional<PackageEntry> entry() {
    return db.snapshot().get(PackagePaths.entry(HELLO));
  }

  StatusInfo status() {
    return db.snapshot().get(PackagePaths.status(HELLO)).orElseThrow();
  }

  String data() throws Exception {
    return Files.readString(dirs.packageVolumes(HELLO).resolve("data/version"));
  }

  @Override
  public void close() {
    services.close();
    db.close();
  }
}
