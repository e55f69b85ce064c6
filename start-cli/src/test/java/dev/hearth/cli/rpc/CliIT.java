package dev.hearth.cli.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hearth.startd.Servers;
import dev.hearth.startd.StartdProcess;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real {@code start-cli} (its launcher script and shaded jar) against the real daemon, as a new
 * user would use them after {@code make run}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CliIT {
  StartdProcess startd;
  Path work;
  String rootCa;
  Path home;
  Path localConfig;
  Path remoteConfig;

  @BeforeAll
  void setUp(@TempDir Path dir) throws Exception {
    work = dir;
    startd = StartdProcess.start(dir.resolve("server"));
    rootCa = Servers.setUp(startd, "My Cool Server").rootCa();
    home = Files.createDirectories(dir.resolve("home"));
    // On the server itself: the daemon's run dir has the local cookie and its URL.
    localConfig = dir.resolve("local.yaml");
    Files.writeString(localConfig, "run-dir: " + startd.runDir + "\n");
    // Elsewhere: the URL only, and no readable local cookie.
    remoteConfig = dir.resolve("remote.yaml");
    Files.writeString(
        remoteConfig,
        "host: "
            + startd.url()
            + "\nrun-dir: "
            + Files.createDirectories(dir.resolve("empty"))
            + "\n");
  }

  @AfterAll
  void tearDown() throws Exception {
    startd.close();
  }

  record Result(int exit, String out, String err) {}

  private ProcessBuilder cli(Map<String, String> env, String... args) {
    Path launcher = Path.of("target", "start-cli").toAbsolutePath();
    assertThat(launcher).exists();
    List<String> command = new ArrayList<>();
    command.add(launcher.toString());
    command.addAll(List.of(args));
    var pb = new ProcessBuilder(command);
    pb.environment().put("JAVA_TOOL_OPTIONS", "-Duser.home=" + home);
    pb.environment().putAll(env);
    return pb;
  }

  private Result run(Map<String, String> env, String... args) throws Exception {
    Process p = cli(env, args).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new Result(p.exitValue(), out, err);
  }

  private Result run(String... args) throws Exception {
    return run(Map.of(), args);
  }

  @Test
  void onTheServerItselfNoLoginIsNeeded() throws Exception {
    Result echo = run("-c", localConfig.toString(), "echo", "hello");
    assertThat(echo.exit()).as(echo.err()).isZero();
    assertThat(echo.out().strip()).isEqualTo("hello");
    Result time = run("-c", localConfig.toString(), "server", "time");
    assertThat(time.exit()).as(time.err()).isZero();
    assertThat(time.out()).contains("up");
    Result state = run("-c", localConfig.toString(), "state");
    assertThat(state.out().strip()).isEqualTo("running");
  }

  @Test
  void elsewhereTheCliLogsInAndKeepsItsSession() throws Exception {
    Result refused = run("-c", remoteConfig.toString(), "server", "time");
    assertThat(refused.exit()).isEqualTo(1);
    assertThat(refused.err()).contains("Unauthorized");

    Result login =
        run(Map.of("PASSWORD", Servers.PASSWORD), "-c", remoteConfig.toString(), "auth", "login");
    assertThat(login.exit()).as(login.err()).isZero();
    Path jar = home.resolve(".startos/.cookies.json");
    assertThat(Files.getPosixFilePermissions(jar))
        .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);

    Result sessions = run("-c", remoteConfig.toString(), "auth", "session", "list");
    assertThat(sessions.exit()).as(sessions.err()).isZero();
    assertThat(sessions.out()).contains("LOGGED IN").contains("*");

    Result wrong = run(Map.of("PASSWORD", "nope"), "-c", remoteConfig.toString(), "auth", "login");
    assertThat(wrong.exit()).isEqualTo(1);
    assertThat(wrong.err()).contains("Incorrect Password");
  }

  @Test
  void overHttpsTheCliLogsInLogsOutAndEndsEverySession() throws Exception {
    // The JVM's trust store holds the server's root CA, as a user who installed it would have.
    Path trust = work.resolve("trust.p12");
    var store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    store.setCertificateEntry(
        "root",
        CertificateFactory.getInstance("X.509")
            .generateCertificate(
                new ByteArrayInputStream(rootCa.getBytes(StandardCharsets.US_ASCII))));
    try (var out = Files.newOutputStream(trust)) {
      store.store(out, "hearth".toCharArray());
    }
    Path httpsConfig = work.resolve("https.yaml");
    Files.writeString(
        httpsConfig, "host: " + startd.tlsUrl() + "\nrun-dir: " + work.resolve("empty") + "\n");
    Map<String, String> env =
        Map.of(
            "PASSWORD",
            Servers.PASSWORD,
            "JAVA_TOOL_OPTIONS",
            "-Duser.home="
                + home
                + " -Djavax.net.ssl.trustStore="
                + trust
                + " -Djavax.net.ssl.trustStorePassword=hearth");
    String config = httpsConfig.toString();

    Result login = run(env, "-c", config, "auth", "login");
    assertThat(login.exit()).as(login.err()).isZero();
    Result sessions = run(env, "-c", config, "auth", "session", "list");
    assertThat(sessions.exit()).as(sessions.err()).isZero();
    assertThat(sessions.out()).contains("*"); // this CLI's session, sent as __Host-session
    Result logout = run(env, "-c", config, "auth", "logout");
    assertThat(logout.exit()).as(logout.err()).isZero();
    assertThat(run(env, "-c", config, "auth", "session", "list").err()).contains("Unauthorized");

    assertThat(run(env, "-c", config, "auth", "login").exit()).isZero();
    Result killed = run(env, "-c", config, "auth", "session", "kill", "--all");
    assertThat(killed.exit()).as(killed.err()).isZero();
    assertThat(run(env, "-c", config, "auth", "session", "list").err()).contains("Unauthorized");
  }

  @Test
  void overHttpsTheRootCaGivenInTheConfigIsTheOneTrustAnchor() throws Exception {
    Path ca = work.resolve("root-ca.crt");
    Files.writeString(ca, rootCa);
    Path config = work.resolve("https-ca.yaml");
    Files.writeString(
        config,
        "host: "
            + startd.tlsUrl()
            + "\nrun-dir: "
            + work.resolve("empty")
            + "\ncookie-path: "
            + work.resolve("ca-cookies.json")
            + "\nca: "
            + ca
            + "\n");
    Map<String, String> env = Map.of("PASSWORD", Servers.PASSWORD);
    Result login = run(env, "-c", config.toString(), "auth", "login");
    assertThat(login.exit()).as(login.err()).isZero();
    Result time = run(env, "-c", config.toString(), "server", "time");
    assertThat(time.exit()).as(time.err()).isZero();

    // Another CA (a certificate keytool makes) is not the server's: the handshake is refused,
    // and neither the JVM's trust store nor the session helps.
    Path keystore = work.resolve("other.p12");
    Path other = work.resolve("other-ca.crt");
    String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
    exec(
        keytool,
        "-genkeypair",
        "-alias",
        "other",
        "-keyalg",
        "EC",
        "-dname",
        "CN=Other CA",
        "-keystore",
        keystore.toString(),
        "-storepass",
        "changeit");
    exec(
        keytool,
        "-exportcert",
        "-rfc",
        "-alias",
        "other",
        "-keystore",
        keystore.toString(),
        "-storepass",
        "changeit",
        "-file",
        other.toString());
    Files.writeString(config, Files.readString(config).replace(ca.toString(), other.toString()));
    Result refused = run(env, "-c", config.toString(), "server", "time");
    assertThat(refused.exit()).isNotZero();
    assertThat(refused.err())
        .contains("cannot reach " + startd.tlsUrl().toString().replaceAll("/$", ""));
  }

  private static void exec(String... argv) throws Exception {
    Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as(out).isZero();
  }

  @Test
  void aNotificationCreatedWithTheCliArrivesLiveOnADatabaseStream() throws Exception {
    Result login =
        run(Map.of("PASSWORD", Servers.PASSWORD), "-c", remoteConfig.toString(), "auth", "login");
    assertThat(login.exit()).as(login.err()).isZero();
    // A follower, the way a UI follows the database: db.subscribe and its WebSocket.
    Process follower =
        cli(Map.of(), "-c", remoteConfig.toString(), "db", "dump", "--follow").start();
    List<String> lines = Collections.synchronizedList(new ArrayList<>());
    Thread reader =
        Thread.ofVirtual()
            .start(() -> {
              try (var in =
                  new BufferedReader(
                      new InputStreamReader(follower.getInputStream(), StandardCharsets.UTF_8))) {
                for (String l = in.readLine(); l != null; l = in.readLine()) {
                  lines.add(l);
                }
              } catch (IOException e) {
                // ended
              }
            });
    try {
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> lines.stream().anyMatch(l -> l.contains("serverInfo")));
      Result created =
          run(
              "-c",
              remoteConfig.toString(),
              "notification",
              "create",
              "warning",
              "From the CLI",
              "It works");
      assertThat(created.exit()).as(created.err()).isZero();
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() ->
              lines.stream().anyMatch(l -> l.contains("From the CLI") && l.contains("\"patch\"")));
      Result listed = run("-c", remoteConfig.toString(), "notification", "list");
      assertThat(listed.out()).contains("From the CLI").contains("warning");
    } finally {
      follower.toHandle().destroy();
      follower.waitFor(10, TimeUnit.SECONDS);
      reader.join();
    }
  }

  @Test
  void theMethodListIsGeneratedFromTheDeclarations() throws Exception {
    Result methods = run("state", "--methods");
    assertThat(methods.exit()).as(methods.err()).isZero();
    assertThat(methods.out())
        .contains("auth.login")
        .contains("public")
        .contains("notification.create")
        .contains("db.subscribe");
  }
}
