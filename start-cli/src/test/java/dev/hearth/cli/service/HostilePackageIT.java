package dev.hearth.cli.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hearth.api.DbApi;
import dev.hearth.api.PackageApi;
import dev.hearth.cli.s9pk.ExamplePackages;
import dev.hearth.error.ErrorKind;
import dev.hearth.error.StartException;
import dev.hearth.jsonrpc.Continuation;
import dev.hearth.jsonrpc.RpcClient;
import dev.hearth.s9pk.S9pk;
import dev.hearth.s9pk.archive.Entry;
import dev.hearth.s9pk.sign.DeveloperKey;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * A package is hostile until proven otherwise (issue 10): each test performs, on real LXC, an
 * attack an installed package made on a real server, from inside its container ({@code package
 * attach}) or through its own effects socket (the channel its code speaks on, which is bound to
 * it), and checks that it fails, says why, and leaves the host and the other package as they were.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HostilePackageIT {
  static final ObjectMapper MAPPER = new ObjectMapper();

  /** Sets $NODE to the runtime's pid, with what the runtime image has (no pidof, no grep). */
  static final String NODE =
      "for p in /proc/[0-9]*; do read c < $p/comm; [ \"$c\" = node ] && NODE=${p#/proc/}; done"
          + " 2>/dev/null; ";

  ServiceHost host;
  Path dir;
  Path helloWorld;
  Path helloFriend;

  @BeforeAll
  void setUp(@TempDir Path dir) throws Exception {
    this.dir = dir;
    helloWorld = ExamplePackages.build("hello-world");
    helloFriend = ExamplePackages.build("hello-friend");
    host = ServiceHost.start(dir);
    host.ok("package", "install", "-s", helloWorld.toString());
    host.ok("package", "install", "-s", helloFriend.toString());
  }

  @AfterAll
  void tearDown() throws Exception {
    if (host != null) {
      host.close();
    }
  }

  @Test
  @Order(1)
  void aLinkPlantedAtTheRuntimeLogLeadsTheHostNowhere() throws Exception {
    Path cookie = host.startd.runDir.resolve("rpc.authcookie");
    String secret = Files.readString(cookie).strip();
    // The log directory is the container's: it may put a link to any host file in the log's place,
    // then to a device that never ends.
    shIn(
        "hello-world",
        "ln -sf "
            + cookie
            + " /media/startos/logs/runtime.log.new"
            + " && mv -f /media/startos/logs/runtime.log.new /media/startos/logs/runtime.log"
            + " && ln -sf /dev/urandom /media/startos/logs/other.log");
    // The runtime still writes to the file it opened: the tail reads that, and only that.
    shIn("hello-world", NODE + "echo log-marker-one >> /proc/$NODE/fd/1");
    await("the runtime's own line reaches the service log")
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(() ->
            assertThat(host.ok("package", "logs", "hello-world").out()).contains("log-marker-one"));
    shIn(
        "hello-world",
        NODE
            + "ln -sf /dev/urandom /media/startos/logs/runtime.log.new"
            + " && mv -f /media/startos/logs/runtime.log.new /media/startos/logs/runtime.log"
            + " && echo log-marker-two >> /proc/$NODE/fd/1");
    await("the tail goes on with the runtime's file, not the device")
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(() ->
            assertThat(host.ok("package", "logs", "hello-world").out()).contains("log-marker-two"));
    assertThat(host.ok("package", "logs", "hello-world", "--limit", "1000").out())
        .doesNotContain(secret);
    assertThat(host.entry("hello-world").toString()).doesNotContain(secret);

    // The runtime dies: its last lines become the error the admin sees, and no other package.
    shIn(
        "hello-world",
        NODE + "echo private-line-of-hello-world >> /proc/$NODE/fd/1; kill -9 $NODE");
    // Read while the error is there: the service comes back by itself a second or two later.
    await("the crash is recorded with the runtime's last lines, which only the admin sees")
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(50))
        .untilAsserted(() -> {
          assertThat(host.entry("hello-world").at("/statusInfo/error/info").asText())
              .contains("private-line-of-hello-world");
          JsonNode seenByFriend =
              host.effect("hello-friend", "get-status", "{\"packageId\":\"hello-world\"}")
                  .get("result");
          assertThat(seenByFriend.at("/error/details").asText()).isNotEmpty();
          assertThat(seenByFriend.toString()).doesNotContain("private-line-of-hello-world");
        });
    await("hello-world is back")
        .atMost(Duration.ofSeconds(60))
        .until(() -> host.entry("hello-world").at("/statusInfo/error").isNull() && hasSocket());
  }

  private boolean hasSocket() {
    try {
      host.effectsSocket("hello-world");
      return true;
    } catch (Exception | AssertionError e) {
      return false;
    }
  }

  @Test
  @Order(2)
  void aPackageCannotMakeTheServerHoldMoreThanItsShare() throws Exception {
    // One line bigger than any effect: the connection is dropped unanswered.
    try (SocketChannel c =
        SocketChannel.open(UnixDomainSocketAddress.of(host.effectsSocket("hello-world")))) {
      String huge =
          "{\"id\":1,\"method\":\"echo\",\"params\":{\"message\":\""
              + "x".repeat(2 << 20)
              + "\"}}\n";
      try {
        Channels.newOutputStream(c).write(huge.getBytes(StandardCharsets.UTF_8));
      } catch (java.io.IOException dropped) {
        // the server stopped reading, as it should
      }
      assertThat(c.read(ByteBuffer.allocate(16))).isEqualTo(-1);
    }
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> host.daemonLog().contains("a line longer than 1048576 bytes"));

    // A notification's data is small.
    JsonNode big =
        host.effect(
            "hello-world",
            "notification.create",
            "{\"level\":\"info\",\"title\":\"t\",\"message\":\"m\",\"data\":\""
                + "d".repeat(20_000)
                + "\"}");
    assertThat(big.at("/error/code").asInt()).isEqualTo(ErrorKind.INVALID_REQUEST.code);

    // A flood: the package keeps at most 100 notifications, within its database quota.
    String message = "m".repeat(16_000);
    String data = "d".repeat(16_000);
    int refused = 0;
    for (int i = 0; i < 150; i++) {
      JsonNode r =
          host.effect(
              "hello-world",
              "notification.create",
              "{\"level\":\"info\",\"title\":\"flood "
                  + i
                  + "\",\"message\":\""
                  + message
                  + "\",\"data\":\""
                  + data
                  + "\"}");
      if (r.has("error")) {
        assertThat(r.at("/error/message").asText() + r.at("/error/data").toString())
            .contains("a package may keep at most");
        refused++;
      }
    }
    assertThat(refused).isPositive();
    JsonNode notifications = host.db("/public/notifications");
    long count = 0;
    long bytes = 0;
    for (JsonNode n : notifications) {
      if (n.path("packageId").asText().equals("hello-world")) {
        count++;
        bytes += MAPPER.writeValueAsBytes(n).length;
      }
    }
    assertThat(count).isBetween(1L, 100L);
    assertThat(bytes).isLessThanOrEqualTo(1 << 20);

    // Connections held open: past 64 the package waits; the server itself does not.
    List<SocketChannel> held = new ArrayList<>();
    try {
      for (int i = 0; i < 100; i++) {
        held.add(SocketChannel.open(UnixDomainSocketAddress.of(host.effectsSocket("hello-world"))));
      }
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> host.daemonLog().contains("64 connections open; further ones wait"));
      assertThat(host.db("/public/serverInfo/name").asText()).isNotEmpty();
    } finally {
      for (SocketChannel c : held) {
        c.close();
      }
    }
    assertThat(
            host.effect("hello-world", "echo", "{\"message\":\"still here\"}")
                .get("result")
                .asText())
        .isEqualTo("still here");
  }

  @Test
  @Order(3)
  void onlyDependenciesTheManifestDeclaresMayBeMountedReadOnlyOrActedOn() throws Exception {
    // hello-world declares no dependency; naming one at run time proves nothing.
    JsonNode declared =
        host.effect(
            "hello-world",
            "set-dependencies",
            "{\"dependencies\":[{\"id\":\"hello-friend\",\"kind\":\"exists\","
                + "\"versionRange\":\"*\"}]}");
    assertThat(declared.has("error")).as(declared.toString()).isFalse();
    JsonNode mount =
        host.effect(
            "hello-world",
            "mount",
            "{\"location\":\"/media/loot\",\"target\":{\"packageId\":\"hello-friend\","
                + "\"volumeId\":\"main\",\"subpath\":null,\"readonly\":true,\"idmap\":[]}}");
    assertThat(mount.at("/error/code").asInt()).isEqualTo(ErrorKind.AUTHORIZATION.code);
    assertThat(mount.at("/error/data").toString()).contains("dependencies its manifest declares");
    // Likewise an action hello-friend offers its dependents only.
    JsonNode exported =
        host.effect(
            "hello-friend",
            "action.export",
            "{\"id\":\"for-dependents\",\"metadata\":{\"name\":\"For dependents\","
                + "\"description\":\"\",\"warning\":null,\"visibility\":\"enabled\","
                + "\"allowedStatuses\":\"any\",\"hasInput\":false,\"group\":null,"
                + "\"access\":\"dependent\"}}");
    assertThat(exported.has("error")).as(exported.toString()).isFalse();
    for (String method : List.of("action.run", "action.get-input")) {
      JsonNode run =
          host.effect(
              "hello-world",
              method,
              "{\"packageId\":\"hello-friend\",\"actionId\":\"for-dependents\",\"input\":null}");
      assertThat(run.at("/error/code").asInt())
          .as(method + " " + run)
          .isEqualTo(ErrorKind.AUTHORIZATION.code);
    }
    // hello-friend declares hello-world: reading its volume, yes; writing it, no.
    JsonNode writable =
        host.effect(
            "hello-friend",
            "mount",
            "{\"location\":\"/media/w\",\"target\":{\"packageId\":\"hello-world\","
                + "\"volumeId\":\"main\",\"subpath\":null,\"readonly\":false,\"idmap\":[]}}");
    assertThat(writable.at("/error/code").asInt())
        .as(writable.toString())
        .isEqualTo(ErrorKind.AUTHORIZATION.code);
    assertThat(writable.at("/error/data").toString()).contains("only read-only");
    // A location that climbs is a bad parameter, said as one.
    JsonNode climbing =
        host.effect(
            "hello-friend",
            "mount",
            "{\"location\":\"/media/../etc\",\"target\":{\"packageId\":\"hello-world\","
                + "\"volumeId\":\"main\",\"subpath\":null,\"readonly\":true,\"idmap\":[]}}");
    assertThat(climbing.at("/error/code").asInt()).isEqualTo(ErrorKind.DESERIALIZATION.code);
    JsonNode allowed =
        host.effect(
            "hello-friend",
            "mount",
            "{\"location\":\"/media/r\",\"target\":{\"packageId\":\"hello-world\","
                + "\"volumeId\":\"main\",\"subpath\":null,\"readonly\":true,\"idmap\":[]}}");
    assertThat(allowed.has("error")).as(allowed.toString()).isFalse();
    // hello-world's files show as owned by hello-friend's root, read-only.
    String listing =
        shIn("hello-friend", "stat -c %u /media/r; " + "touch /media/r/x 2>&1; true").out();
    assertThat(listing).startsWith("0\n").contains("Read-only file system");
  }

  @Test
  @Order(4)
  void eachPackageRunsAsHostIdsOfItsOwn() throws Exception {
    int world = owner(host.volume("hello-world", "main"));
    int friend = owner(host.volume("hello-friend", "main"));
    assertThat(world).isGreaterThanOrEqualTo(100_000);
    assertThat(friend).isGreaterThanOrEqualTo(100_000);
    assertThat(Math.abs(world - friend)).isGreaterThanOrEqualTo(65_536);
    shIn("hello-friend", "echo x > /media/startos/volumes/main/mine");
    assertThat(owner(host.volume("hello-friend", "main").resolve("mine"))).isEqualTo(friend);
  }

  @Test
  @Order(5)
  void portsAndCertificatesThatAreNotThePackagesOwnAreNotGiven() throws Exception {
    int daemonPort = host.startd.url().getPort();
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      for (int wanted : new int[] {22, 80, daemonPort, taken.getLocalPort()}) {
        JsonNode bound =
            host.effect(
                "hello-world",
                "bind",
                "{\"id\":\"grab\",\"internalPort\":2222,\"preferredExternalPort\":"
                    + wanted
                    + ",\"addSsl\":null,\"secure\":null}");
        assertThat(bound.has("error")).as(bound.toString()).isFalse();
        int got =
            host.entry("hello-world").at("/hosts/grab/bindings/2222/net/assignedPort").asInt();
        assertThat(got)
            .as("asked for %d", wanted)
            .isNotEqualTo(wanted)
            .isGreaterThanOrEqualTo(1024);
      }
    }
    JsonNode range =
        host.effect(
            "hello-world",
            "bind-range",
            "{\"id\":\"grab\",\"internalStartPort\":3000,\"externalStartPort\":80,"
                + "\"numberOfPorts\":2}");
    assertThat(range.at("/error/code").asInt()).isEqualTo(ErrorKind.INVALID_REQUEST.code);
    String hostAddress = host.effect("hello-world", "get-os-ip", "{}").get("result").asText();
    for (String name : List.of("127.0.0.1", hostAddress, "localhost", "hello-friend.startos")) {
      JsonNode cert =
          host.effect("hello-world", "get-ssl-certificate", "{\"hostnames\":[\"" + name + "\"]}");
      assertThat(cert.at("/error/code").asInt()).as(name).isEqualTo(ErrorKind.NOT_FOUND.code);
    }
    JsonNode own =
        host.effect(
            "hello-world", "get-ssl-certificate", "{\"hostnames\":[\"hello-world.startos\"]}");
    assertThat(own.path("result").asText()).startsWith("-----BEGIN CERTIFICATE-----");
    host.effect("hello-world", "clear-bindings", "{\"except\":[]}");
  }

  @Test
  @Order(6)
  void theDataDirectoryHasNothingAnotherHostUserCanRead() throws Exception {
    Path data = host.startd.dataDir;
    List<String> files = new ArrayList<>();
    for (Path top :
        List.of(
            data.resolve("db"),
            data.resolve("logs"),
            data.resolve("package-data"),
            data.resolve("containers/lxc"),
            host.startd.runDir)) {
      try (Stream<Path> walk = Files.walk(top)) {
        walk.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS))
            .forEach(p -> files.add(p.toString()));
      }
    }
    files.add(data.resolve("startd.lock").toString());
    assertThat(files).anyMatch(f -> f.contains("/db/")).anyMatch(f -> f.endsWith("runtime.log"));
    List<String> command =
        new ArrayList<>(
            List.of(
                "setpriv",
                "--reuid=65534",
                "--regid=65534",
                "--clear-groups",
                "--",
                "sh",
                "-c",
                "for f in \"$@\"; do cat \"$f\" >/dev/null 2>&1 && echo \"$f\"; done",
                "sh"));
    command.addAll(files);
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String readable = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(readable).as("files another host user can read").isEmpty();
  }

  @Test
  @Order(7)
  void aPackageCannotExhaustTheHostsProcessesOrCores() throws Exception {
    String container =
        host.effectsSocket("hello-world").getParent().getParent().getFileName().toString();
    assertThat(container).startsWith("hello-world-");
    Path pids = cgroup("pids", container);
    assertThat(Files.readString(pids.resolve("pids.max")).strip()).isEqualTo("1024");
    ServiceHost.Result bomb =
        host.cli(
            "package",
            "attach",
            "hello-world",
            "--",
            "sh",
            "-c",
            "i=0; while [ $i -lt 1500 ]; do sleep 600 </dev/null >/dev/null 2>&1 & i=$((i+1));"
                + " done 2>&1 | tail -1");
    assertThat(Long.parseLong(Files.readString(pids.resolve("pids.current")).strip()))
        .isLessThanOrEqualTo(1024);
    assertThat(bomb.out() + bomb.err()).containsAnyOf("fork", "Resource temporarily unavailable");
    killAll(pids, "sleep");
    assertThat(host.db("/public/serverInfo/name").asText()).isNotEmpty();

    // Four spinners on this machine's cores: measured over four seconds, the container gets at
    // most its cap (all cores but half of one), however idle the rest of the machine is.
    int cores = Runtime.getRuntime().availableProcessors();
    double cap = Math.max(50, cores * 100 - 50) / 100.0;
    assertThat(cpuQuotaMicros(container)).isEqualTo(Math.round(cap * 100_000));
    shIn(
        "hello-world",
        "for i in 1 2 3 4; do timeout 8 sh -c 'while :; do :; done' </dev/null >/dev/null 2>&1 &"
            + " done");
    long used0 = cpuNanos(container);
    long t0 = System.nanoTime();
    await().pollDelay(Duration.ofSeconds(4)).until(() -> true); // the measuring window
    long used = cpuNanos(container) - used0;
    long wall = System.nanoTime() - t0;
    assertThat((double) used / wall)
        .as("cores used by the container; its cap is %.1f", cap)
        .isLessThanOrEqualTo(cap + 0.05);
    killAll(pids, "timeout");
    killAll(pids, "sh"); // the spinners, which a killed timeout leaves running
  }

  @Test
  @Order(9)
  void anUpdateSignedByAnotherKeyNeedsTheUsersConsent() throws Exception {
    Path otherHome = dir.resolve("other-signer");
    Path otherKey = otherHome.resolve("developer.key.pem");
    Files.createDirectories(otherHome);
    DeveloperKey.generate(new SecureRandom()).writeNew(otherKey);
    Path forged = dir.resolve("hello-world-other-signer.s9pk");
    Files.copy(helloWorld, forged);
    host.ok(
        "--developer-key-path",
        otherKey.toString(),
        "s9pk",
        "edit",
        forged.toString(),
        "manifest",
        ".title = \"Hello World, signed by someone else\"");
    String installedKey = host.entry("hello-world").at("/developerKey").asText();

    ServiceHost.Result refused = host.cli("package", "install", "-s", forged.toString());
    assertThat(refused.exit()).isNotZero();
    assertThat(refused.err())
        .contains("signed by another key")
        .contains(installedKey.strip())
        .contains("--accept-key-change");

    // The server refuses it on its own, whatever the client does, and tells the user both keys.
    try (RpcClient client = host.startd.localClient()) {
      PackageApi.Sideload s = client.call(PackageApi.SIDELOAD, new PackageApi.SideloadParams(null));
      try (Continuation progress = client.continuation(s.progress())) {
        assertThat(client.upload(s.upload(), forged)).isBetween(200, 299);
        assertThat(progress.awaitClose(Duration.ofSeconds(60)))
            .hasValueSatisfying(c -> {
              assertThat(c.code()).isEqualTo(1011);
              assertThat(c.reason()).contains("another key");
            });
      }
    }
    JsonNode warning = null;
    for (JsonNode n : host.db("/public/notifications")) {
      if (n.path("title").asText().equals("Update refused: new signer")) {
        warning = n;
      }
    }
    assertThat(warning).isNotNull();
    assertThat(warning.at("/data/installedKey").asText()).isEqualTo(installedKey);
    assertThat(warning.at("/data/packageKey").asText()).isNotEqualTo(installedKey);
    assertThat(host.entry("hello-world").at("/developerKey").asText()).isEqualTo(installedKey);
    assertThat(host.entry("hello-world").at("/stateInfo/manifest/title").asText())
        .isNotEqualTo("Hello World, signed by someone else");

    // Accepted by the user: the new signer takes over.
    host.ok("package", "install", "-s", forged.toString(), "--accept-key-change");
    assertThat(host.entry("hello-world").at("/developerKey").asText())
        .isEqualTo(warning.at("/data/packageKey").asText());

    // Data a soft uninstall keeps stays its signer's: a reinstall by another key is held to it.
    host.ok("package", "uninstall", "hello-world", "--soft");
    await("hello-world is gone, its data kept")
        .atMost(Duration.ofSeconds(60))
        .until(() -> !host.db("/public/packageData").has("hello-world"));
    ServiceHost.Result reinstall = host.cli("package", "install", "-s", helloWorld.toString());
    assertThat(reinstall.exit()).isNotZero();
    assertThat(reinstall.err()).contains("another key");
    assertThat(host.db("/public/packageData").has("hello-world")).isFalse();
    assertThat(host.volume("hello-world", "main")).isDirectory();
    host.ok("package", "install", "-s", helloWorld.toString(), "--accept-key-change");
    assertThat(host.entry("hello-world").at("/developerKey").asText()).isEqualTo(installedKey);
  }

  @Test
  @Order(8)
  void aPackageWhoseImageHoldsADeviceNodeIsRefusedBeforeAnythingRuns() throws Exception {
    // Made as a hostile author would, without our pack (which refuses it): mksquashfs writes the
    // node from a pseudo definition, and the package is signed like any other.
    // mksquashfs ignores a pseudo file whose directory is missing: dev must exist.
    Path tree = Files.createDirectories(dir.resolve("hostile-image/dev")).getParent();
    Files.writeString(tree.resolve("innocent"), "x");
    Path squashfs = dir.resolve("hostile.squashfs");
    Process mk =
        new ProcessBuilder(
                "mksquashfs",
                tree.toString(),
                squashfs.toString(),
                "-noappend",
                "-quiet",
                "-all-root",
                "-p",
                "dev/sda b 666 0 0 8 0")
            .redirectErrorStream(true)
            .start();
    assertThat(mk.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(mk.exitValue()).isZero();
    Path hostile = dir.resolve("hello-world-with-a-disk.s9pk");
    try (S9pk pkg = S9pk.open(helloWorld)) {
      S9pk edited =
          pkg.withContents(
              pkg.contents()
                  .withPath(
                      "images/x86_64/main.squashfs", Entry.file(Files.readAllBytes(squashfs))));
      edited.writeSigned(hostile, DeveloperKey.read(ExamplePackages.key()));
    }
    String before = host.entry("hello-world").toString();
    ServiceHost.Result r = host.cli("package", "install", "-s", hostile.toString());
    assertThat(r.exit()).isNotZero();
    assertThat(r.err()).contains("device nodes").contains("dev/sda");
    assertThat(host.daemonLog())
        .contains(
            "image main holds device nodes, which packages may not carry: dev/sda (block 8:0)");
    assertThat(host.entry("hello-world").at("/stateInfo"))
        .isEqualTo(MAPPER.readTree(before).at("/stateInfo"));
    try (Stream<Path> partial =
        Files.list(host.startd.dataDir.resolve("package-data/archive/downloading"))) {
      assertThat(partial).isEmpty();
    }
  }

  @Test
  @Order(10)
  void noClientWritesAHostPathTheServerActsOn() throws Exception {
    Path canary = Files.writeString(dir.resolve("canary"), "still here");
    try (RpcClient client = host.startd.localClient()) {
      assertThatThrownBy(() ->
              client.call(
                  DbApi.PUT,
                  new DbApi.PutParams(
                      "/public/packageData/hello-friend/s9pk",
                      MAPPER.getNodeFactory().textNode(canary.toString()))))
          .isInstanceOfSatisfying(
              StartException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_REQUEST));
    }
    host.ok("package", "uninstall", "hello-friend");
    await("hello-friend is gone")
        .atMost(Duration.ofSeconds(60))
        .until(() -> !host.db("/public/packageData").has("hello-friend"));
    assertThat(canary).hasContent("still here");
  }

  // ---- helpers ------------------------------------------------------------------------------

  /** Runs a shell script as root in {@code id}'s container, as {@code package attach} does. */
  private ServiceHost.Result shIn(String id, String script) throws Exception {
    return host.ok("package", "attach", id, "--", "sh", "-c", script);
  }

  private static int owner(Path p) throws Exception {
    return (int) Files.getAttribute(p, "unix:uid", LinkOption.NOFOLLOW_LINKS);
  }

  /** A controller's cgroup of a container on the host: cgroup v1 or v2. */
  private static Path cgroup(String controller, String container) throws Exception {
    Path root = Path.of("/sys/fs/cgroup");
    try (Stream<Path> dirs = Files.list(root)) {
      for (Path d : dirs.toList()) {
        if (List.of(d.getFileName().toString().split(",")).contains(controller)) {
          return d.resolve("lxc.payload." + container);
        }
      }
    }
    return root.resolve("lxc.payload." + container); // unified
  }

  /** The container's CPU quota per 100 ms period, in microseconds (v1 cfs_quota_us, v2 cpu.max). */
  private static long cpuQuotaMicros(String container) throws Exception {
    Path v1 = cgroup("cpu", container).resolve("cpu.cfs_quota_us");
    if (Files.exists(v1)) {
      return Long.parseLong(Files.readString(v1).strip());
    }
    String max = Files.readString(cgroup("cpu", container).resolve("cpu.max")).strip();
    return max.startsWith("max") ? -1 : Long.parseLong(max.split(" ")[0]);
  }

  /** The CPU time a container has used, in nanoseconds (cgroup v1 cpuacct or v2 cpu.stat). */
  private static long cpuNanos(String container) throws Exception {
    Path v1 = cgroup("cpuacct", container).resolve("cpuacct.usage");
    if (Files.exists(v1)) {
      return Long.parseLong(Files.readString(v1).strip());
    }
    for (String line : Files.readAllLines(cgroup("cpu", container).resolve("cpu.stat"))) {
      if (line.startsWith("usage_usec ")) {
        return 1000 * Long.parseLong(line.substring("usage_usec ".length()).strip());
      }
    }
    throw new AssertionError("no CPU usage for " + container);
  }

  /** Kills, from the host, the processes named {@code comm} in a cgroup. */
  private static void killAll(Path cgroup, String comm) throws Exception {
    for (String pid : Files.readAllLines(cgroup.resolve("cgroup.procs"))) {
      try {
        if (Files.readString(Path.of("/proc", pid, "comm")).strip().equals(comm)) {
          ProcessHandle.of(Long.parseLong(pid)).ifPresent(ProcessHandle::destroyForcibly);
        }
      } catch (java.io.IOException gone) {
        // already ended
      }
    }
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () -> Long.parseLong(Files.readString(cgroup.resolve("pids.current")).strip()) < 100);
  }
}
