package dev.hearth.registry;

import dev.hearth.api.RegistryApi;
import dev.hearth.error.StartException;
import dev.hearth.jsonrpc.RpcEndpoint;
import dev.hearth.registry.auth.Authenticator;
import dev.hearth.registry.blob.BlobStore;
import dev.hearth.registry.blob.FileBlobStore;
import dev.hearth.registry.blob.S3BlobStore;
import dev.hearth.registry.db.RegistryDb;
import dev.hearth.registry.http.RegistryServer;
import dev.hearth.registry.os.OsReleases;
import dev.hearth.registry.pkg.Catalog;
import dev.hearth.registry.pkg.Publisher;
import dev.hearth.registry.pkg.Uploads;
import dev.hearth.s9pk.sign.SignerKey;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A running registry: its database, its files, its server. */
public final class Registry implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Registry.class);

  private final RegistryDb db;
  private final BlobStore blobs;
  private final RegistryServer server;

  private Registry(RegistryDb db, BlobStore blobs, RegistryServer server) {
    this.db = db;
    this.blobs = blobs;
    this.server = server;
  }

  /** Opens the data directory, makes the configured admins, sweeps stray files and listens. */
  public static Registry start(RegistryConfig config, Clock clock) throws Exception {
    Files.createDirectories(config.dataDir());
    RegistryDb db = RegistryDb.open(config.dataDir().resolve("db"), config.name());
    @Nullable BlobStore blobs = null;
    try {
      Path packages = config.dataDir().resolve("packages");
      blobs =
          config.s3() == null
              ? new FileBlobStore(packages)
              : new S3BlobStore(config.s3(), packages.resolve("incoming"));
      var auth = new Authenticator(db, config.hostnames(), clock);
      var publisher = new Publisher(db, blobs, auth, config.maxPackageBytes(), clock);
      var uploads = new Uploads(clock);
      var catalog = new Catalog(db);
      ThreadLocal<RegistryRpc.RequestFacts> facts = new ThreadLocal<>();
      var os = new OsReleases(db, auth, clock);
      var rpc = new RegistryRpc(db, auth, catalog, publisher, uploads, os, facts);
      for (Path admin : config.admins()) {
        makeAdmin(db, auth, rpc, admin);
      }
      sweep(db, blobs);
      var server =
          new RegistryServer(
              config.listen(),
              endpoint(rpc, db),
              auth,
              db.json(),
              config.publicUrl(),
              (base, device, call) -> {
                facts.set(new RegistryRpc.RequestFacts(base, device));
                try {
                  call.run();
                } finally {
                  facts.remove();
                }
              },
              uploads,
              publisher,
              blobs,
              name -> countDownload(db, name));
      server.start();
      return new Registry(db, blobs, server);
    } catch (Exception | Error e) {
      try {
        if (blobs != null) {
          blobs.close();
        }
      } finally {
        db.close();
      }
      throw e;
    }
  }

  private static RpcEndpoint endpoint(RegistryRpc rpc, RegistryDb db) {
    var tree = rpc.tree();
    return new RpcEndpoint(() -> tree, db.json());
  }

  public List<URI> urls() {
    return server.urls();
  }

  /** Makes the key in {@code pemFile} an admin, registering it as a signer if it is new. */
  private static void makeAdmin(RegistryDb db, Authenticator auth, RegistryRpc rpc, Path pemFile)
      throws IOException {
    SignerKey key = SignerKey.parsePem(Files.readString(pemFile, StandardCharsets.US_ASCII));
    String id =
        auth.signerId(key).orElseGet(() -> rpc.addSigner("admin", List.of(), List.of(key.pem())));
    db.mutate(tx ->
        tx.update(
            RegistryDb.ADMINS,
            a -> {
              var set = new LinkedHashSet<>(a);
              set.add(id);
              return List.copyOf(set);
            }));
    log.info("signer {} ({}) is an admin", id, key.hex());
  }

  /** Deletes stored files the index does not name (a crash between storing and indexing). */
  private static void sweep(RegistryDb db, BlobStore blobs) throws IOException {
    Set<String> named = new HashSet<>();
    db.read(RegistryDb.PACKAGES, Map.of())
        .values()
        .forEach(p ->
            p.versions()
                .values()
                .forEach(v ->
                    v.s9pks()
                        .forEach(f ->
                            f.asset()
                                .urls()
                                .forEach(u -> {
                                  if (u.startsWith(Publisher.BLOB_PATH)) {
                                    named.add(u.substring(Publisher.BLOB_PATH.length()));
                                  }
                                }))));
    for (String stored : blobs.names()) {
      if (!named.contains(stored)) {
        log.info("removing {}: no published version names it", stored);
        blobs.remove(stored);
      }
    }
  }

  private static void countDownload(RegistryDb db, String name) {
    String url = Publisher.BLOB_PATH + name;
    try {
      db.mutate(tx -> {
        for (var p : tx.get(RegistryDb.PACKAGES).orElse(Map.of()).entrySet()) {
          for (var v : p.getValue().versions().entrySet()) {
            for (RegistryApi.HardwareAsset f : v.getValue().s9pks()) {
              if (f.asset().urls().contains(url)) {
                tx.update(
                    RegistryDb.DOWNLOADS,
                    all -> {
                      Map<String, Map<String, Long>> out = new HashMap<>(all);
                      Map<String, Long> versions =
                          new HashMap<>(out.getOrDefault(p.getKey(), Map.of()));
                      versions.merge(v.getKey(), 1L, Long::sum);
                      out.put(p.getKey(), versions);
                      return out;
                    });
                return;
              }
            }
          }
        }
      });
    } catch (StartException e) {
      log.warn("could not count a download of {}: {}", name, e.getMessage());
    }
  }

  /** For tests and benchmarks: the database. */
  public RegistryDb database() {
    return db;
  }

  /** For tests: the stored files. */
  public Set<String> storedFiles() throws IOException {
    return blobs.names();
  }

  @Override
  public void close() throws Exception {
    try {
      server.close();
    } finally {
      try {
        blobs.close();
      } finally {
        db.close();
      }
    }
  }
}
