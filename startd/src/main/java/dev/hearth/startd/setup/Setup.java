package dev.hearth.startd.setup;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hearth.api.FullProgress;
import dev.hearth.api.SetupApi;
import dev.hearth.error.ErrorKind;
import dev.hearth.error.StartException;
import dev.hearth.startd.auth.EncryptedWire;
import dev.hearth.startd.auth.PasswordHash;
import dev.hearth.startd.base32.Base32;
import dev.hearth.startd.cert.LocalCa;
import dev.hearth.startd.cert.Pem;
import dev.hearth.startd.continuation.Continuations;
import dev.hearth.startd.continuation.ProgressTracker;
import dev.hearth.startd.db.Database;
import dev.hearth.startd.db.LocalCerts;
import dev.hearth.startd.db.PrivatePaths;
import dev.hearth.startd.db.PublicPaths;
import dev.hearth.startd.system.Hostnames;
import dev.hearth.startd.system.Machine;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.time.InstantSource;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The setup wizard's server side. One setup job at a time: a second {@code execute} while one runs
 * or after one succeeded is refused (code 38). Once the job has written the database the server
 * hands over to normal mode by itself, before the job reports completion: every setup method is
 * public, and none may stay so once there is a password to protect. Only {@code status}, {@code
 * complete} and {@code exit}, which the wizard still calls, remain ({@link
 * SetupRpc#bindAfterSetup}); {@code exit} then only confirms.
 *
 * <p>Thread-safe.
 */
public final class Setup {
  private static final Logger log = LoggerFactory.getLogger(Setup.class);
  static final String KEYS = "Generating keys";
  static final String DATABASE = "Writing the database";

  private final Database db;
  private final EncryptedWire wire;
  private final PasswordHash hasher;
  private final Machine machine;
  private final Continuations continuations;
  private final SecureRandom random;
  private final InstantSource clock;
  private final ObjectMapper mapper;
  private final Runnable enterNormalMode;
  private final dev.hearth.api.MarketplaceApi.Model marketplace;
  private final AtomicReference<@Nullable ProgressTracker> job = new AtomicReference<>();
  private final AtomicReference<@Nullable StartException> failure = new AtomicReference<>();
  private volatile String language = "en_US";

  public Setup(
      Database db,
      EncryptedWire wire,
      PasswordHash hasher,
      Machine machine,
      Continuations continuations,
      SecureRandom random,
      InstantSource clock,
      ObjectMapper mapper,
      dev.hearth.api.MarketplaceApi.Model marketplace,
      Runnable enterNormalMode) {
    this.marketplace = marketplace;
    this.db = db;
    this.wire = wire;
    this.hasher = hasher;
    this.machine = machine;
    this.continuations = continuations;
    this.random = random;
    this.clock = clock;
    this.mapper = mapper;
    this.enterNormalMode = enterNormalMode;
  }

  public JsonNode publicKey() {
    return wire.publicJwk(mapper);
  }

  public void setLanguage(String language) {
    if (!language.matches("[a-z]{2,3}(_[A-Z]{2})?")) {
      throw new StartException(
          ErrorKind.INVALID_REQUEST, "not a language tag: \"" + language + "\"");
    }
    this.language = language;
  }

  /**
   * Where setup stands.
   *
   * @throws StartException the failed job's error, as upstream reports it
   */
  public SetupApi.Status status() {
    StartException failed = failure.get();
    if (failed != null) {
      throw failed;
    }
    ProgressTracker running = job.get();
    if (db.isInitialized() && (running == null || running.current().isComplete())) {
      SetupApi.Completed done = completed();
      return new SetupApi.Status.Complete(done.hostname(), done.rootCa(), false);
    }
    if (running != null) {
      return new SetupApi.Status.Running(running.current(), progressSocket(running));
    }
    return new SetupApi.Status.Incomplete(null, false, false, null);
  }

  /**
   * Starts a fresh setup.
   *
   * @throws StartException (INVALID_REQUEST) if setup already ran or runs, the password is missing
   *     or not encrypted, or a restore was asked for
   */
  public SetupApi.Started execute(SetupApi.ExecuteParams params) {
    if (params.recoverySource() != null && !params.recoverySource().isNull()) {
      throw new StartException(
          ErrorKind.INVALID_REQUEST,
          "restoring from a backup and transferring from another drive are not available yet:"
              + " they arrive with the backups work; set the server up fresh for now");
    }
    SetupApi.EncryptedPassword encrypted = params.password();
    if (encrypted == null) {
      throw new StartException(ErrorKind.INVALID_REQUEST, "a fresh setup needs a password");
    }
    String password = wire.decrypt(encrypted.encrypted(), mapper);
    if (password.isEmpty()) {
      throw new StartException(ErrorKind.INVALID_REQUEST, "the password must not be empty");
    }
    Hostnames.Names names = Hostnames.of(params.name(), params.hostname(), random);
    var tracker = new ProgressTracker(FullProgress.of(KEYS, DATABASE));
    if (db.isInitialized() || !job.compareAndSet(null, tracker)) {
      throw new StartException(ErrorKind.INVALID_REQUEST, "setup has already been run");
    }
    Thread.ofVirtual().name("setup").start(() -> run(tracker, names, password));
    return new SetupApi.Started(tracker.current(), progressSocket(tracker));
  }

  private void run(ProgressTracker tracker, Hostnames.Names names, String password) {
    try {
      tracker.update(
          tracker.current().withPhase(KEYS, com.fasterxml.jackson.databind.node.BooleanNode.FALSE));
      var secrets = secrets(names, password);
      tracker.update(
          tracker
              .current()
              .withPhase(KEYS, com.fasterxml.jackson.databind.node.BooleanNode.TRUE)
              .withPhase(DATABASE, com.fasterxml.jackson.databind.node.BooleanNode.FALSE));
      var codec = db.codec();
      List<JsonNode> devices =
          machine.devices().stream().map(d -> (JsonNode) mapper.valueToTree(d)).toList();
      db.initialize(
          InitialModel.publicModel(
              names, secrets, machine.ram(), devices, language, marketplace, codec),
          InitialModel.privateModel(secrets, codec));
      enterNormalMode.run(); // before the wizard can see the job done
      tracker.update(tracker.current().completed());
      log.info("setup complete: \"{}\" at {}.local", names.name(), names.hostname());
    } catch (RuntimeException e) {
      StartException reported =
          e instanceof StartException s
              ? s
              : new StartException(ErrorKind.UNKNOWN, "setup failed: " + e.getMessage(), e);
      log.error("setup failed", e);
      failure.set(reported);
      tracker.fail(reported.getMessage());
    }
  }

  private InitialModel.Secrets secrets(Hostnames.Names names, String password) {
    try {
      byte[] id = new byte[10];
      random.nextBytes(id);
      LocalCerts certs = LocalCa.create(names.hostname(), random, clock.instant());
      KeyPair developer = ed25519();
      KeyPair ssh = ed25519();
      return new InitialModel.Secrets(
          Base32.encode(id).toLowerCase(Locale.ROOT),
          hasher.hash(password),
          certs,
          Pem.of(developer.getPrivate()),
          Pem.of(developer.getPublic()),
          Pem.of(ssh.getPrivate()));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Ed25519 is part of every JDK", e);
    }
  }

  private KeyPair ed25519() throws GeneralSecurityException {
    var generator = KeyPairGenerator.getInstance("Ed25519");
    generator.initialize(255, random);
    return generator.generateKeyPair();
  }

  /**
   * The result of a finished setup: hostname and root CA.
   *
   * @throws StartException the failed job's error; (INVALID_REQUEST) before setup finished
   */
  public SetupApi.Completed complete() {
    StartException failed = failure.get();
    if (failed != null) {
      throw failed;
    }
    if (!db.isInitialized()) {
      throw new StartException(ErrorKind.INVALID_REQUEST, "setup has not finished");
    }
    return completed();
  }

  private SetupApi.Completed completed() {
    var snapshot = db.snapshot();
    String hostname = snapshot.get(PublicPaths.HOSTNAME).orElseThrow();
    String rootCa = snapshot.get(PrivatePaths.LOCAL_CERTS).orElseThrow().rootCert();
    return new SetupApi.Completed(hostname, rootCa, false);
  }

  /**
   * Leaves setup: the normal API and UI take over on the same port. They already have once the
   * database was written, so this only confirms that setup finished.
   *
   * @throws StartException (INVALID_REQUEST) before setup finished
   */
  public void exit() {
    if (!db.isInitialized()) {
      throw new StartException(ErrorKind.INVALID_REQUEST, "setup has not finished");
    }
    enterNormalMode.run();
  }

  private String progressSocket(ProgressTracker tracker) {
    return continuations.socket(tracker.follower(mapper), Continuations.WINDOW, null);
  }
}
