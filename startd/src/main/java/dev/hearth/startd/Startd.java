package dev.hearth.startd;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.hearth.error.ErrorKind;
import dev.hearth.error.StartException;
import dev.hearth.jsonrpc.Caller;
import dev.hearth.jsonrpc.RpcEndpoint;
import dev.hearth.jsonrpc.RpcTree;
import dev.hearth.patchdb.RecoveredTail;
import dev.hearth.startd.auth.Auth;
import dev.hearth.startd.auth.AuthRpc;
import dev.hearth.startd.auth.EncryptedWire;
import dev.hearth.startd.auth.LocalCookie;
import dev.hearth.startd.auth.LoginLimiter;
import dev.hearth.startd.auth.PasswordHash;
import dev.hearth.startd.cert.InfoPage;
import dev.hearth.startd.cert.LocalCa;
import dev.hearth.startd.continuation.Continuations;
import dev.hearth.startd.db.Database;
import dev.hearth.startd.db.DbRpc;
import dev.hearth.startd.db.LocalCerts;
import dev.hearth.startd.db.Migrations;
import dev.hearth.startd.db.PrivatePaths;
import dev.hearth.startd.db.PublicPaths;
import dev.hearth.startd.diagnostic.DiagnosticRpc;
import dev.hearth.startd.http.Api;
import dev.hearth.startd.http.GeneratedFile;
import dev.hearth.startd.http.HttpServer;
import dev.hearth.startd.marketplace.Marketplace;
import dev.hearth.startd.net.GatewayChoice;
import dev.hearth.startd.net.Net;
import dev.hearth.startd.net.NetRpc;
import dev.hearth.startd.net.ServerHost;
import dev.hearth.startd.net.TlsFront;
import dev.hearth.startd.net.proxy.UpstreamSockets;
import dev.hearth.startd.notification.NotificationRpc;
import dev.hearth.startd.notification.Notifications;
import dev.hearth.startd.service.PackageRpc;
import dev.hearth.startd.service.Services;
import dev.hearth.startd.service.model.PackageId;
import dev.hearth.startd.service.model.PackagePaths;
import dev.hearth.startd.setup.Setup;
import dev.hearth.startd.setup.SetupRpc;
import dev.hearth.startd.system.KernelLog;
import dev.hearth.startd.system.LogStore;
import dev.hearth.startd.system.LogStoreAppender;
import dev.hearth.startd.system.LogStreams;
import dev.hearth.startd.system.Machine;
import dev.hearth.startd.system.MallocThreshold;
import dev.hearth.startd.system.Power;
import dev.hearth.startd.system.ServerNames;
import dev.hearth.startd.system.SystemRpc;
import dev.hearth.startd.system.Umask;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.time.InstantSource;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code startd}: the composition root. Builds every subsystem with plain constructors in
 * dependency order, serves setup until the database is set up and the normal API after, and shuts
 * down in reverse order on SIGTERM or a power action.
 */
public final class Startd implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Startd.class);

  private final StartdConfig config;
  private final FileChannel lockChannel;
  private final FileLock lock;
  private final LogStore logs;
  private final LogStoreAppender appender;
  private final @Nullable Database db; // null in diagnostic mode
  private final Continuations continuations;
  private final @Nullable Services services; // null in diagnostic mode
  private @Nullable Marketplace marketplace; // null in diagnostic mode
  private @Nullable Net net; // null in diagnostic mode
  private @Nullable TlsFront tls; // null in diagnostic mode
  // Written under this object's lock, read without it: the network subsystem reads it while it
  // starts holding its own lock, and close() holds this one while it closes that subsystem.
  private volatile @Nullable URI tlsUrl; // once the UI is served over TLS
  private final HttpServer http;
  private final AtomicReference<Api> api = new AtomicReference<>();
  private final Api normal;
  private final CountDownLatch stopped = new CountDownLatch(1);
  private volatile boolean closing;

  private Startd(StartdConfig config) throws Exception {
    this.config = config;
    Umask.set(Umask.PRIVATE);
    DataDirectory.prepare(config.dataDir());
    this.lockChannel =
        FileChannel.open(
            config.dataDir().resolve("startd.lock"),
            StandardOpenOption.CREATE,
            StandardOpenOption.WRITE);
    FileLock acquired = lockChannel.tryLock();
    if (acquired == null) {
      lockChannel.close();
      throw new IllegalStateException(
          "another startd is already running with the data directory " + config.dataDir());
    }
    this.lock = acquired;
    lockChannel
        .truncate(0)
        .write(StandardCharsets.US_ASCII.encode(ProcessHandle.current().pid() + "\n"));

    var random = new SecureRandom();
    InstantSource clock = InstantSource.system();
    ObjectMapper mapper =
        JsonMapper.builder().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();
    String bootId = bootId();

    logs = new LogStore(config.dataDir().resolve("logs"), bootId, mapper);
    appender = LogStoreAppender.install(logs);
    continuations = new Continuations(random, clock);
    var kernel = new KernelLog(bootId);
    var power = new Power(config.power(), this::stopAsync);
    Database opened;
    try {
      opened = Database.open(config.dataDir().resolve("db"), mapper, Migrations.standard());
      refuseSetupOverDamage(opened);
    } catch (RuntimeException e) {
      // A server that cannot open its database says why instead of dying at every start: a
      // damaged or oversized database, and a migration step that fails, alike.
      StartException failure =
          e instanceof StartException se
              ? se
              : new StartException(
                  ErrorKind.DATABASE, "the database cannot be opened: " + e.getMessage(), e);
      log.error("startd cannot start: {}; serving the diagnostic API", failure.getMessage());
      db = null;
      services = null;
      var tree = RpcTree.builder(mapper);
      DiagnosticRpc.bind(
          tree,
          failure,
          logs,
          kernel,
          new LogStreams(kernel, continuations, mapper),
          power,
          mapper);
      normal =
          new Api(endpoint(tree.build(), mapper), (local, session) -> Caller.ANONYMOUS, () -> 0);
      api.set(normal);
      http =
          new HttpServer(
              config.listen(),
              api::get,
              config.maxRequestBytes(),
              continuations,
              Map.of(),
              id -> Optional.empty());
      return;
    }
    Database db = opened;
    this.db = db;
    var machine = Machine.local(config.dataDir());
    var names = new ServerNames(db, random, clock, this::serveTlsInBackground);
    var wire = new EncryptedWire(random);
    var hasher = new PasswordHash(random);
    var localCookie = LocalCookie.create(config.runDir(), random);
    var auth =
        new Auth(
            db,
            hasher,
            new LoginLimiter(clock),
            wire,
            localCookie,
            random,
            clock,
            config.sessions(),
            mapper,
            continuations::sessionEnded);
    var notifications = new Notifications(db, clock);
    reportRepairs(db, notifications);
    var dbRpc = new DbRpc(db, continuations);
    var system =
        new SystemRpc(db, machine, logs, kernel, power, names, continuations, clock, mapper);
    var setup =
        new Setup(
            db,
            wire,
            hasher,
            machine,
            continuations,
            random,
            clock,
            mapper,
            Marketplace.initialModel(config.registries()),
            this::enterNormalMode);

    Services services =
        Services.open(
            db,
            config.dataDir(),
            config.containers(),
            config.containersUnavailable(),
            continuations,
            notifications,
            mapper,
            clock,
            bootId,
            daemonPorts(config));
    this.services = services;

    var marketplace =
        new Marketplace(
            db,
            services,
            notifications,
            mapper,
            clock,
            config.registries(),
            config.downloadPatience(),
            dev.hearth.startd.system.OsRelease.arch(),
            machine.ram());
    this.marketplace = marketplace;
    var net = new Net(db, gatewayChoice(config), services::block, this::serverHost);
    this.net = net;
    var tls = new TlsFront(db, random, clock, tlsBind(config), upstreamSockets(services));
    this.tls = tls;
    services.useTls(tls);
    var normalTree = RpcTree.builder(mapper);
    system.bind(normalTree);
    dev.hearth.startd.marketplace.MarketplaceRpc.bind(normalTree, marketplace);
    PackageRpc.bind(normalTree, services, system);
    new NetRpc(net, db, mapper).bind(normalTree);
    AuthRpc.bind(normalTree, auth);
    SetupRpc.bindAfterSetup(normalTree, setup); // the wizard's last steps, public
    NotificationRpc.bind(normalTree, notifications);
    dbRpc.bind(normalTree);
    normal =
        new Api(
            endpoint(normalTree.build(), mapper),
            auth::authenticate,
            () -> {
              dbRpc.nudge();
              return db.sequence();
            });
    var setupTree = RpcTree.builder(mapper);
    SetupRpc.bind(setupTree, setup, logs, system, power);
    Api setupApi =
        new Api(
            endpoint(setupTree.build(), mapper),
            (local, session) -> Caller.ANONYMOUS,
            db::sequence);
    api.set(db.isInitialized() ? normal : setupApi);

    http =
        new HttpServer(
            config.listen(),
            api::get,
            config.maxRequestBytes(),
            continuations,
            staticFiles(db),
            id -> installedArchive(db, id));
  }

  /**
   * A database that opening cut records off and that is left without a model is not a new server:
   * it was set up, and offering setup now would let anyone on the network take it over. Its kept
   * bytes are for a person to look at first.
   */
  private static void refuseSetupOverDamage(Database db) {
    if (!db.isInitialized() && !db.recoveredDamage().isEmpty()) {
      RecoveredTail t = db.recoveredDamage().getFirst();
      db.close();
      throw new StartException(
          ErrorKind.DATABASE,
          "the database journal "
              + t.segment()
              + " was damaged where it held the server's setup ("
              + t.reason()
              + "); its bytes are kept at "
              + t.keptAt()
              + ". The server will not offer setup over a damaged database: restore the data"
              + " directory, or remove its db directory to start over");
    }
  }

  /**
   * The interfaces the server is reached through: every LAN interface but our own bridge and veths,
   * or, when the daemon was told to listen on one address (tests: loopback), only that one.
   */
  private static GatewayChoice gatewayChoice(StartdConfig config) {
    ContainerConfig c = config.containers();
    java.net.InetAddress address;
    if (c != null) {
      address = java.net.InetAddress.ofLiteral(c.forwardBind());
    } else {
      java.net.InetSocketAddress first = config.listen().getFirst();
      try {
        address =
            first.getAddress() != null
                ? first.getAddress()
                : java.net.InetAddress.getByName(first.getHostString());
      } catch (java.net.UnknownHostException e) {
        address = java.net.InetAddress.getLoopbackAddress();
      }
    }
    return new GatewayChoice(
        address.isAnyLocalAddress() ? null : address,
        java.util.Set.of(),
        c == null ? java.util.Set.of() : java.util.Set.of(c.bridge()),
        "vh");
  }

  /**
   * Where the TLS proxy makes its upstream sockets. A service's upstream is a container's address
   * on the bridge: the socket is made in the bridge's network namespace ({@code --netns}, in the
   * tests and the web e2e, puts it apart from the daemon's). The UI's upstream is the HTTP server's
   * loopback listener ({@link HttpServer#serveBehindProxy}) in the daemon's own namespace, which
   * the bridge's loopback is not: made there, the UI over HTTPS answered 502. No container is
   * reached at a loopback address, so loopback is the daemon's.
   */
  private static UpstreamSockets upstreamSockets(Services services) {
    return (upstream, transport) -> {
      if (upstream.getAddress() != null && upstream.getAddress().isLoopbackAddress()) {
        return UpstreamSockets.DEFAULT.open(upstream, transport); // the event loop's: the daemon's
      }
      try {
        return services.inBridgeNamespace(() -> UpstreamSockets.DEFAULT.open(upstream, transport));
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    };
  }

  /** Where the services' TLS ports listen: where their forwards do. */
  private static java.net.InetAddress tlsBind(StartdConfig config) {
    ContainerConfig c = config.containers();
    return java.net.InetAddress.ofLiteral(c == null ? "0.0.0.0" : c.forwardBind());
  }

  /** The UI's own host: plain HTTP on the first listener, TLS where HTTPS is served now. */
  private ServerHost serverHost() {
    URI secure = tlsUrl().orElse(null);
    return new ServerHost(
        http.urls().getFirst().getPort(), secure == null ? null : secure.getPort());
  }

  /** The ports this daemon serves on, or will once set up: no package may take them. */
  private static java.util.Set<Integer> daemonPorts(StartdConfig config) {
    var ports = new java.util.HashSet<Integer>();
    config.listen().forEach(a -> ports.add(a.getPort()));
    if (config.tls() != null) {
      ports.add(config.tls().getPort());
    }
    ports.remove(0);
    return ports;
  }

  /**
   * Tells the user what opening the database cut off the end of its journal: no acknowledged change
   * was lost, but bytes were, and they are kept for whoever wants to look.
   */
  private static void reportRepairs(Database db, Notifications notifications) {
    for (RecoveredTail t : db.recoveredDamage()) {
      log.warn(
          "database journal {}: {} bytes cut off at byte {} ({}), kept at {}",
          t.segment(),
          t.bytes(),
          t.offset(),
          t.reason(),
          t.keptAt());
      if (db.isInitialized()) {
        notifications.create(
            null,
            dev.hearth.api.NotificationApi.Level.warning,
            "Database repaired",
            "The end of the database journal "
                + t.segment().getFileName()
                + " held "
                + t.bytes()
                + " bytes that were not a complete change ("
                + t.reason()
                + "). They were cut off, so the server could start, and kept at "
                + t.keptAt()
                + ". Every change the server had confirmed is intact.",
            Notifications.CODE_PLAIN,
            null);
      }
    }
  }

  private static RpcEndpoint endpoint(RpcTree tree, ObjectMapper mapper) {
    return new RpcEndpoint(() -> tree, mapper);
  }

  /** The root CA and the info page of setup, once there is a root CA. */
  /** The archive of an installed package, for {@code /s9pk/installed/}; empty for any other id. */
  private static Optional<Path> installedArchive(Database db, String id) {
    PackageId pkg;
    try {
      pkg = PackageId.of(id);
    } catch (RuntimeException e) {
      return Optional.empty();
    }
    return db.snapshot().get(PackagePaths.s9pk(pkg)).map(Path::of);
  }

  private static Map<String, GeneratedFile> staticFiles(Database db) {
    Supplier<Optional<LocalCerts>> certs = () -> db.snapshot().get(PrivatePaths.LOCAL_CERTS);
    return Map.of(
        "/static/local-root-ca.crt",
        new GeneratedFile(
            "application/x-x509-ca-cert", () -> certs.get().map(LocalCerts::rootCert)),
        "/static/StartOS-info.html",
        new GeneratedFile(
            "text/html; charset=utf-8",
            () ->
                certs
                    .get()
                    .map(c -> {
                      var s = db.snapshot();
                      return InfoPage.render(
                          s.get(PublicPaths.SERVER_NAME).orElse(""),
                          s.get(PublicPaths.HOSTNAME).orElse(""),
                          c.rootCert(),
                          LocalCa.fingerprint(c.rootCert()));
                    })));
  }

  private static String bootId() {
    try {
      return Files.readString(Path.of("/proc/sys/kernel/random/boot_id")).trim();
    } catch (IOException e) {
      return UUID.randomUUID().toString();
    }
  }

  /** Starts a daemon; it serves until {@link #close()} or {@link #awaitStop()}. */
  public static Startd start(StartdConfig config) throws Exception {
    var startd = new Startd(config);
    try {
      startd.http.start();
      if (startd.db != null && startd.db.isInitialized()) {
        startd.bootInBackground();
      }
      startd.writeUrl();
      log.info(
          "startd ready at {} ({} mode)",
          startd.http.urls().getFirst(),
          startd.db == null
              ? "diagnostic"
              : startd.api.get() == startd.normal ? "normal" : "setup");
      return startd;
    } catch (Exception e) {
      startd.close();
      throw e;
    }
  }

  /** The URL of the first HTTP listener. */
  public URI url() {
    return http.urls().getFirst();
  }

  public Optional<URI> tlsUrl() {
    return Optional.ofNullable(tlsUrl);
  }

  private void writeUrl() throws IOException {
    Files.createDirectories(config.runDir());
    Files.writeString(config.runDir().resolve("startd.url"), url() + "\n");
  }

  private void enterNormalMode() {
    if (api.getAndSet(normal) != normal) {
      log.info("setup finished: serving the normal API");
      bootInBackground();
    }
  }

  /**
   * HTTPS comes up, then installed services come back (§5.3), without holding up the API. HTTPS
   * first: its port is bound before any package could ask for it (issue 10).
   */
  private void bootInBackground() {
    Thread.ofVirtual()
        .name("services-boot")
        .start(() -> {
          // A stop may come at any point of this (StopIT): each step first checks for one.
          if (closing) {
            return;
          }
          try {
            serveTls();
          } catch (Exception e) {
            log.warn("could not start HTTPS", e);
          }
          if (closing) {
            return;
          }
          java.util.Objects.requireNonNull(marketplace).start();
          try {
            java.util.Objects.requireNonNull(net).start();
          } catch (RuntimeException e) {
            log.error("the network subsystem could not start", e);
          }
          if (closing) {
            return;
          }
          java.util.Objects.requireNonNull(services).boot();
        });
  }

  /** HTTPS comes up beside HTTP, without delaying it: setting up TLS takes a while. */
  private void serveTlsInBackground() {
    Thread.ofVirtual()
        .name("tls-start")
        .start(() -> {
          try {
            serveTls();
          } catch (Exception e) {
            log.warn("could not start HTTPS", e);
          }
        });
  }

  /**
   * The UI over TLS: the proxy ({@link TlsFront}) on {@code --tls}, with a certificate from the
   * Root CA for every name the server is reached by, in front of a loopback listener of the HTTP
   * server that believes the proxy's forwarded headers. Idempotent: a rename needs nothing more,
   * the certificate follows the names.
   */
  private void serveTls() throws Exception {
    InetSocketAddress configured = config.tls();
    if (configured == null || tls == null) {
      return;
    }
    InetSocketAddress address =
        configured.isUnresolved()
            ? new InetSocketAddress(
                java.net.InetAddress.getByName(configured.getHostString()), configured.getPort())
            : configured;
    InetSocketAddress upstream = http.serveBehindProxy();
    int port;
    synchronized (this) {
      int wanted = tlsUrl == null ? address.getPort() : tlsUrl.getPort();
      port = tls.open(new InetSocketAddress(address.getAddress(), wanted), upstream, true);
      String host =
          address.getAddress().isAnyLocalAddress() ? "localhost" : address.getHostString();
      tlsUrl = URI.create("https://" + host + ":" + port);
    }
    http.redirectToHttps(port);
    log.info("startd ready (TLS): {}", tlsUrl);
  }

  private void stopAsync() {
    Thread.ofPlatform().name("startd-stop").start(this::close);
  }

  /** Blocks until the daemon has stopped. */
  public void awaitStop() throws InterruptedException {
    stopped.await();
  }

  @Override
  public void close() {
    closing = true; // before the lock: the background start stops at its next step
    closeNow();
  }

  private synchronized void closeNow() {
    if (stopped.getCount() == 0) {
      return;
    }
    log.info("startd stopping");
    try {
      http.close();
    } catch (Exception e) {
      log.warn("error stopping HTTP", e);
    }
    if (net != null) {
      net.close();
    }
    if (services != null) {
      services.close();
    }
    if (tls != null) {
      tls.close(); // after the services: their bindings' TLS listeners go first
    }
    continuations.close();
    if (db != null) {
      db.close();
    }
    appender.uninstall();
    logs.close();
    try {
      lock.release();
      lockChannel.close();
    } catch (IOException e) {
      log.warn("error releasing the data directory lock", e);
    }
    stopped.countDown();
  }

  public static void main(String[] args) {
    MallocThreshold.fix(); // before the start's compilations: C2's arenas are its largest blocks
    StartdConfig config;
    try {
      config = StartdConfigLoader.load(args, System.getenv());
    } catch (IllegalArgumentException e) {
      System.err.println("startd: " + e.getMessage());
      System.exit(2);
      return;
    }
    Startd startd;
    try {
      startd = start(config);
    } catch (IllegalStateException | StartException e) {
      System.err.println("startd: " + e.getMessage());
      System.exit(1);
      return;
    } catch (Exception e) {
      log.error("startd failed to start", e);
      System.exit(1);
      return;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(startd::close, "startd-shutdown"));
    System.out.println("startd ready: " + startd.url());
    try {
      startd.awaitStop();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
