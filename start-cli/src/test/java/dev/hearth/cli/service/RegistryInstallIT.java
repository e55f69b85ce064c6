package dev.hearth.cli.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hearth.api.AuthApi;
import dev.hearth.api.MarketplaceApi;
import dev.hearth.api.PackageApi;
import dev.hearth.cli.s9pk.ExamplePackages;
import dev.hearth.error.StartException;
import dev.hearth.jsonrpc.Empty;
import dev.hearth.jsonrpc.RpcClient;
import dev.hearth.registry.RegistryFixture;
import dev.hearth.startd.Servers;
import java.net.InetSocketAddress;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Installs from a registry, for real: a registry (its own HTTP server) and startd (its own process,
 * with LXC) apart, hello-world 1.0.0 and 1.1.0 published. Install from the registry, see the
 * update, update, downgrade, another flavor refused and then switched to; a tampered listing and a
 * package for another OS refused with nothing left; a registry that stops answering mid-download
 * resumed where it stopped once it answers again.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RegistryInstallIT {
  static final Duration SLOW = Duration.ofSeconds(120);
  static final Path BUILDS = Path.of("target/registry-install-it").toAbsolutePath();

  RegistryFixture registry;
  CuttableProxy proxy;
  ServiceHost host;
  RpcClient startd;
  String url;

  @BeforeAll
  void setUp(@TempDir Path dir) throws Exception {
    Path v100 = ExamplePackages.build("hello-world");
    Path v110 =
        PackageVariants.nextVersion(BUILDS.resolve("v1.1.0"), "1.1.0:0", "await mark('up')");
    Path friend = ExamplePackages.build("hello-friend");
    Path spicy = PackageVariants.flavor(BUILDS.resolve("spicy"), "#spicy:1.1.0:0", ">=1.0.0:0");
    registry = new RegistryFixture(Files.createDirectories(dir.resolve("r")));
    try (RpcClient admin = registry.client(registry.adminKey)) {
      RegistryFixture.publish(admin, v100, registry.adminKey);
      RegistryFixture.publish(admin, v110, registry.adminKey);
      RegistryFixture.publish(admin, spicy, registry.adminKey);
      RegistryFixture.publish(admin, friend, registry.adminKey);
    }
    proxy = new CuttableProxy(new InetSocketAddress("127.0.0.1", registry.url.getPort()));
    url = proxy.url();
    host =
        ServiceHost.start(
            dir, // short: the containers' socket paths must fit
            "--registry",
            url,
            "--download-patience",
            "20s");
    startd = host.startd.localClient();
  }

  @AfterAll
  void tearDown() throws Exception {
    if (startd != null) {
      startd.close();
    }
    if (host != null) {
      host.close();
    }
    if (proxy != null) {
      proxy.close();
    }
    if (registry != null) {
      registry.close();
    }
  }

  private String version() throws Exception {
    return host.entry("hello-world").at("/stateInfo/manifest/version").asText();
  }

  @Test
  @Order(1)
  void theDefaultRegistryIsListedWithItsName() throws Exception {
    // Nothing is asked of a registry until the Marketplace is used; then its name and icon.
    assertThat(host.db("/public/marketplace/registries").path(url).path("name").asText())
        .isEqualTo("127.0.0.1");
    startd.call(MarketplaceApi.UPDATES, new Empty());
    await()
        .atMost(SLOW)
        .untilAsserted(() ->
            assertThat(host.db("/public/marketplace/registries").path(url).path("name").asText())
                .isEqualTo("Test Registry"));
    assertThat(host.db("/public/marketplace/registries").path(url).path("isDefault").asBoolean())
        .isTrue();
  }

  @Test
  @Order(2)
  void installUpdateAndDowngradeFromTheRegistry() throws Exception {
    host.ok("package", "install", "hello-world", "--version", "1.0.0:0", "-r", url);
    assertThat(version()).isEqualTo("1.0.0:0");
    assertThat(host.entry("hello-world").path("registry").asText()).isEqualTo(url);
    // It runs like a sideloaded one: its critical task done, started, healthy.
    host.ok(
        "package", "action", "run", "hello-world", "set-name", "--input", "{\"name\":\"Alice\"}");
    host.ok("package", "start", "hello-world");
    host.awaitHealthy("hello-world");

    var updates = startd.call(MarketplaceApi.UPDATES, new Empty());
    var offered = updates.get(url).packages().get("hello-world");
    assertThat(offered.version()).isEqualTo("1.1.0:0");
    assertThat(offered.installed()).isEqualTo("1.0.0:0");
    var view =
        startd.call(MarketplaceApi.PACKAGE, new MarketplaceApi.PackageParams(url, "hello-world"));
    assertThat(view.actions())
        .containsEntry("1.1.0:0", MarketplaceApi.Action.update)
        .containsEntry("1.0.0:0", MarketplaceApi.Action.reinstall);

    host.ok("package", "install", "hello-world", "--version", "1.1.0:0", "-r", url);
    assertThat(version()).isEqualTo("1.1.0:0");
    host.awaitHealthy("hello-world"); // running again after the update, its data kept
    assertThat(Files.readString(host.volume("hello-world", "main").resolve("name.txt")))
        .isEqualTo("Alice");
    assertThat(startd.call(MarketplaceApi.UPDATES, new Empty()).get(url).packages()).isEmpty();
    assertThat(
            startd
                .call(MarketplaceApi.PACKAGE, new MarketplaceApi.PackageParams(url, "hello-world"))
                .actions())
        .containsEntry("1.0.0:0", MarketplaceApi.Action.downgrade);

    host.ok("package", "install", "hello-world", "--version", "1.0.0:0", "-r", url);
    assertThat(version()).isEqualTo("1.0.0:0");
    // Every download was counted by the registry, and nothing is left in the download directory.
    try (RpcClient admin = registry.client(registry.adminKey)) {
      assertThat(
              admin
                  .call(
                      dev.hearth.api.RegistryApi.METRICS_DOWNLOADS,
                      new dev.hearth.api.RegistryApi.MetricsParams(null, null, "hello-world", null))
                  .downloads()
                  .get("hello-world"))
          .containsEntry("1.0.0:0", 2L)
          .containsEntry("1.1.0:0", 1L);
    }
    assertThat(partFiles()).isEmpty();
  }

  @Test
  @Order(3)
  void aVersionTheRegistryDoesNotHaveIsRefusedAtOnce() throws Exception {
    ServiceHost.Result r =
        host.cli("package", "install", "hello-world", "--version", "9.9.9:0", "-r", url);
    assertThat(r.exit()).isNotZero();
    assertThat(r.err()).contains("has no hello-world 9.9.9:0");
  }

  @Test
  @Order(4)
  void aDownloadCutInTheMiddleResumesWhenTheRegistryAnswersAgain() throws Exception {
    proxy.requests.clear();
    proxy.cutNextResponseAfter(300_000);
    startd.call(
        PackageApi.INSTALL,
        new PackageApi.InstallParams(url, "hello-world", "1.1.0:0", null, null));
    await().atMost(SLOW).until(proxy::isDown);
    // While the registry is away: still downloading, nothing installed, the old version intact.
    Thread.sleep(2000);
    JsonNode pending = host.db("/public/marketplace/installs/hello-world");
    assertThat(pending.at("/progress/phases/0/name").asText()).isEqualTo("Downloading");
    assertThat(version()).isEqualTo("1.0.0:0");
    proxy.setDown(false);
    await().atMost(SLOW).untilAsserted(() -> assertThat(version()).isEqualTo("1.1.0:0"));
    assertThat(proxy.requests)
        .as(() -> String.join("\n", host.startd.output()))
        .anySatisfy(
            r -> assertThat(r).startsWith("GET /blob/").containsIgnoringCase("range: bytes="));
    assertThat(partFiles()).isEmpty();
    assertThat(host.db("/public/marketplace/installs").size()).isZero();
  }

  @Test
  @Order(5)
  void aRegistryGoneForGoodLeavesNothingBehind() throws Exception {
    proxy.cutNextResponseAfter(200_000);
    startd.call(
        PackageApi.INSTALL,
        new PackageApi.InstallParams(url, "hello-world", "1.0.0:0", null, null));
    await().atMost(SLOW).until(proxy::isDown);
    // It never comes back: after the patience (20 s) the install gives up and says so.
    await()
        .atMost(SLOW)
        .untilAsserted(() -> assertThat(host.db("/public/marketplace/installs").size()).isZero());
    assertThat(version()).isEqualTo("1.1.0:0");
    assertThat(host.entry("hello-world").at("/stateInfo/state").asText()).isEqualTo("installed");
    assertThat(host.db("/public/notifications").toString())
        .contains("Install failed")
        .contains("download stopped");
    assertThat(partFiles()).isEmpty();
    proxy.setDown(false);
  }

  @Test
  @Order(6)
  void anotherFlavorIsRefusedUnlessTheInstallSwitchesToIt() throws Exception {
    assertThat(version()).isEqualTo("1.1.0:0");
    assertThat(
            startd
                .call(MarketplaceApi.PACKAGE, new MarketplaceApi.PackageParams(url, "hello-world"))
                .actions())
        .containsEntry("#spicy:1.1.0:0", MarketplaceApi.Action.switchFlavor);
    ServiceHost.Result refused =
        host.cli("package", "install", "hello-world", "--version", "#spicy:1.1.0:0", "-r", url);
    assertThat(refused.exit()).isNotZero();
    assertThat(refused.err()).contains("another flavor").contains("switchFlavor");
    assertThat(version()).isEqualTo("1.1.0:0");
    assertThat(host.db("/public/marketplace/installs").size()).isZero();

    host.ok(
        "package",
        "install",
        "hello-world",
        "--version",
        "#spicy:1.1.0:0",
        "-r",
        url,
        "--switch-flavor");
    assertThat(version()).isEqualTo("#spicy:1.1.0:0");
    Path migrated = host.volume("hello-world", "main").resolve("migrated.txt");
    assertThat(Files.readString(migrated))
        .as("the flavor's up migration ran")
        .isEqualTo("flavor-up");
    // One flavor at a time: the unflavored line is now another flavor, and no update is offered.
    assertThat(
            startd
                .call(MarketplaceApi.PACKAGE, new MarketplaceApi.PackageParams(url, "hello-world"))
                .actions())
        .containsEntry("1.1.0:0", MarketplaceApi.Action.switchFlavor)
        .containsEntry("#spicy:1.1.0:0", MarketplaceApi.Action.reinstall);
    assertThat(startd.call(MarketplaceApi.UPDATES, new Empty()).get(url).packages()).isEmpty();

    // And back: the flavor's own migrations take the data down to the unflavored line.
    host.ok(
        "package", "install", "hello-world", "--version", "1.1.0:0", "-r", url, "--switch-flavor");
    assertThat(version()).isEqualTo("1.1.0:0");
    assertThat(Files.readString(migrated)).isEqualTo("flavor-down");
  }

  @Test
  @Order(7)
  void aDeadRegistryIsAClearErrorNotAHang() throws Exception {
    proxy.setDown(true);
    try {
      long t0 = System.nanoTime();
      try {
        startd.call(
            MarketplaceApi.PACKAGE, new MarketplaceApi.PackageParams("http://127.0.0.1:9/", "x"));
        throw new AssertionError("a dead registry answered");
      } catch (StartException e) {
        assertThat(e.getMessage()).contains("cannot be reached");
      }
      assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(20));
    } finally {
      proxy.setDown(false);
    }
  }

  @Test
  @Order(8)
  void aFileOfAListedPackageIsReadByRangesAndCheckedBeforeItIsServed() throws Exception {
    JsonNode best =
        startd
            .call(MarketplaceApi.PACKAGE, new MarketplaceApi.PackageParams(url, "hello-world"))
            .listing()
            .path("best")
            .path("1.1.0:0");
    JsonNode s9pk = best.path("s9pks").get(0);
    JsonNode asset = s9pk.isArray() ? s9pk.get(1) : s9pk.path("asset");
    String blob = asset.path("urls").get(0).asText();
    String sighash = asset.at("/commitment/rootSighash").asText();
    long maxsize = asset.at("/commitment/rootMaxsize").asLong();
    String cookie;
    try (RpcClient admin = host.startd.client()) {
      admin.call(AuthApi.LOGIN, new AuthApi.LoginParams(Servers.PASSWORD, null, null));
      cookie = "session=" + admin.cookie("session").orElseThrow();
    }
    java.util.function.Function<String, String> path =
        hash ->
            "/s9pk/proxy/"
                + URLEncoder.encode(blob, StandardCharsets.UTF_8)
                + "/LICENSE.md?rootSighash="
                + URLEncoder.encode(hash, StandardCharsets.UTF_8)
                + "&rootMaxsize="
                + maxsize;
    try (HttpClient http = HttpClient.newHttpClient()) {
      proxy.requests.clear();
      HttpResponse<String> license = get(http, path.apply(sighash), cookie);
      assertThat(license.statusCode()).as(license.body()).isEqualTo(200);
      assertThat(license.body())
          .isEqualTo(Files.readString(Path.of("../packages/hello-world/LICENSE.md")));
      assertThat(license.headers().firstValue("Content-Type"))
          .hasValue("text/markdown; charset=utf-8");
      assertThat(license.headers().firstValue("Content-Security-Policy").orElse(""))
          .startsWith("sandbox");
      // Only byte ranges of the package were fetched, never the whole file.
      assertThat(proxy.requests)
          .isNotEmpty()
          .allSatisfy(r -> assertThat(r).containsIgnoringCase("range: bytes="));

      // A listing that lies about the file (another commitment): nothing of it is served.
      String other = java.util.Base64.getEncoder().encodeToString(new byte[32]);
      HttpResponse<String> lied = get(http, path.apply(other), cookie);
      assertThat(lied.statusCode()).isEqualTo(502);
      assertThat(lied.body()).doesNotContain("MIT");
      // Only for a logged-in session, and only http(s).
      assertThat(get(http, path.apply(sighash), null).statusCode()).isEqualTo(401);
      HttpResponse<String> file =
          get(
              http,
              "/s9pk/proxy/"
                  + URLEncoder.encode("file:///etc/passwd", StandardCharsets.UTF_8)
                  + "/LICENSE.md?rootSighash="
                  + URLEncoder.encode(sighash, StandardCharsets.UTF_8)
                  + "&rootMaxsize=1",
              cookie);
      assertThat(file.statusCode()).isEqualTo(502);
      assertThat(file.body()).doesNotContain("root:");
    }
  }

  @Test
  @Order(9)
  void aMissingDependencyIsNamedOrInstalledFirstFromTheSameRegistry() throws Exception {
    host.ok("package", "uninstall", "hello-world");
    await().atMost(SLOW).until(() -> gone("hello-world"));
    ServiceHost.Result named =
        host.ok("package", "install", "hello-friend", "--version", "1.0.0:0", "-r", url);
    assertThat(named.out())
        .contains(
            "hello-friend needs Hello World (hello-world), which is not installed: start-cli"
                + " package install hello-world --version 1.1.0:0 -r "
                + url);
    assertThat(gone("hello-world")).as("nothing installed but what was asked").isTrue();
    host.ok("package", "uninstall", "hello-friend");
    await().atMost(SLOW).until(() -> gone("hello-friend"));

    ServiceHost.Result both =
        host.ok(
            "package",
            "install",
            "hello-friend",
            "--version",
            "1.0.0:0",
            "-r",
            url,
            "--with-dependencies");
    assertThat(both.out())
        .contains("installed hello-world 1.1.0:0", "installed hello-friend 1.0.0:0");
    assertThat(version()).isEqualTo("1.1.0:0");
    assertThat(host.entry("hello-world").path("registry").asText()).isEqualTo(url);
  }

  private boolean gone(String id) throws Exception {
    JsonNode entry = host.entry(id);
    return entry == null || entry.isNull() || entry.isMissingNode();
  }

  private HttpResponse<String> get(HttpClient http, String path, String cookie) throws Exception {
    var request = HttpRequest.newBuilder(host.startd.url().resolve(path)).GET();
    if (cookie != null) {
      request.header("Cookie", cookie);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private java.util.List<Path> partFiles() throws Exception {
    try (var files = Files.list(host.startd.dataDir.resolve("package-data/archive/downloading"))) {
      return files.toList();
    }
  }
}
