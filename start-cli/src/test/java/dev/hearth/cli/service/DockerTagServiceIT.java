package dev.hearth.cli.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hearth.cli.s9pk.ExamplePackages;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12's "done when": a package that names its image by {@code dockerTag} packs from a registry
 * on loopback and runs its daemon through the image's entrypoint ({@code sdk.useEntrypoint()}), on
 * a real startd in LXC. The image is hello-world's busybox root filesystem, pushed to Debian's
 * {@code docker-registry} with {@code skopeo} as an OCI image whose config carries the web server's
 * command.
 */
class DockerTagServiceIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path hostDir;

  @Test
  void aDockerTagPackageRunsItsDaemonThroughTheImageEntrypoint(@TempDir Path dir) throws Exception {
    Process registry = null;
    try {
      int port;
      try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        port = s.getLocalPort();
      }
      String host = "127.0.0.1:" + port;
      Files.createDirectories(dir.resolve("registry"));
      Files.writeString(
          dir.resolve("registry.yml"),
          "version: 0.1\nlog:\n  level: warn\nstorage:\n  filesystem:\n    rootdirectory: "
              + dir.resolve("registry")
              + "\nhttp:\n  addr: "
              + host
              + "\n");
      registry =
          new ProcessBuilder(
                  "/usr/bin/docker-registry", "serve", dir.resolve("registry.yml").toString())
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("registry.log").toFile())
              .start();
      await("docker-registry answers").atMost(Duration.ofSeconds(20)).until(() -> answers(host));

      // hello-world's busybox root filesystem as the one layer of an OCI image.
      Path rootfs = dir.resolve("rootfs.tar");
      run(
          dir,
          ExamplePackages.source("hello-world").resolve("image/build-rootfs.sh").toString(),
          "x86_64",
          rootfs.toString());
      Path layout = dir.resolve("oci");
      Files.createDirectories(layout.resolve("blobs/sha256"));
      Files.writeString(layout.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
      ByteArrayOutputStream gz = new ByteArrayOutputStream();
      try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
        out.write(Files.readAllBytes(rootfs));
      }
      ObjectNode config = JSON.createObjectNode().put("architecture", "amd64").put("os", "linux");
      ObjectNode c = config.putObject("config");
      c.putArray("Entrypoint").add("/bin/busybox").add("httpd").add("-f").add("-v");
      c.putArray("Cmd").add("-p").add("80").add("-h").add("/data/www");
      c.putArray("Env").add("PATH=/bin");
      config
          .putObject("rootfs")
          .put("type", "layers")
          .putArray("diff_ids")
          .add(digest(Files.readAllBytes(rootfs)));
      ObjectNode manifest =
          JSON.createObjectNode()
              .put("schemaVersion", 2)
              .put("mediaType", "application/vnd.oci.image.manifest.v1+json");
      manifest.set(
          "config",
          blob(layout, JSON.writeValueAsBytes(config), "application/vnd.oci.image.config.v1+json"));
      manifest
          .putArray("layers")
          .add(blob(layout, gz.toByteArray(), "application/vnd.oci.image.layer.v1.tar+gzip"));
      ObjectNode m =
          blob(
              layout,
              JSON.writeValueAsBytes(manifest),
              "application/vnd.oci.image.manifest.v1+json");
      m.putObject("annotations").put("org.opencontainers.image.ref.name", "web");
      ObjectNode index = JSON.createObjectNode().put("schemaVersion", 2);
      index.putArray("manifests").add(m);
      Files.write(layout.resolve("index.json"), JSON.writeValueAsBytes(index));
      String image = host + "/hearth/hello-busybox:1";
      run(
          dir,
          "skopeo",
          "copy",
          "--quiet",
          "--dest-tls-verify=false",
          "oci:" + layout + ":web",
          "docker://" + image);

      // hello-world, its image named by tag and its daemon started by the image's entrypoint.
      Path build = dir.resolve("hello-world");
      ExamplePackages.copy("hello-world", build);
      Path manifestTs = build.resolve("startos/manifest/index.ts");
      String ts = Files.readString(manifestTs);
      ts =
          ts.replace("import { rootfsImage } from '../rootfs'\n", "")
              .replace(
                  "source: rootfsImage('image/rootfs-{arch}.tar'),",
                  "source: { dockerTag: '" + image + "' },");
      assertThat(ts).contains("dockerTag");
      Files.writeString(manifestTs, ts);
      Path mainTs = build.resolve("startos/main.ts");
      String main = Files.readString(mainTs);
      String command =
          "command: ['/bin/busybox', 'httpd', '-f', '-v', '-p', String(uiPort), '-h', '/data/www'],";
      assertThat(main).contains(command);
      Files.writeString(mainTs, main.replace(command, "command: sdk.useEntrypoint(),"));
      Path s9pk = ExamplePackages.make(build, "hello-world");

      // a temporary directory of its own: the containers' socket paths must stay short
      try (ServiceHost host2 = ServiceHost.start(hostDir)) {
        ServiceHost.Result install = host2.cli("package", "install", "-s", s9pk.toString());
        assertThat(install.exit()).as("%s\n%s", install.err(), host2.daemonLog()).isZero();
        ServiceHost.Result action =
            host2.cli(
                "package",
                "action",
                "run",
                "hello-world",
                "set-name",
                "--input",
                "{\"name\":\"Registry\"}");
        assertThat(action.exit()).as(action.err()).isZero();
        ServiceHost.Result start = host2.cli("package", "start", "hello-world");
        assertThat(start.exit()).as(start.err()).isZero();
        await("the daemon started through its entrypoint is healthy")
            .atMost(Duration.ofSeconds(90))
            .pollInterval(Duration.ofMillis(250))
            .untilAsserted(() -> {
              JsonNode status = host2.entry("hello-world").at("/statusInfo");
              assertThat(status.at("/health/primary/result").asText())
                  .as("%s\n%s", status, host2.daemonLog())
                  .isEqualTo("success");
            });
        int webPort =
            host2.entry("hello-world").at("/hosts/ui-multi/bindings/80/net/assignedPort").asInt();
        HttpResponse<String> page =
            HttpClient.newHttpClient()
                .send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + webPort + "/")).build(),
                    HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("Hello, Registry!");
        ServiceHost.Result uninstall = host2.cli("package", "uninstall", "hello-world");
        assertThat(uninstall.exit()).as(uninstall.err()).isZero();
      }
    } finally {
      if (registry != null) {
        registry.destroy();
        registry.waitFor();
      }
    }
  }

  private static boolean answers(String host) {
    try {
      HttpURLConnection c =
          (HttpURLConnection) URI.create("http://" + host + "/v2/").toURL().openConnection();
      c.setConnectTimeout(200);
      return c.getResponseCode() == 200;
    } catch (IOException e) {
      return false;
    }
  }

  private static ObjectNode blob(Path layout, byte[] bytes, String mediaType) throws Exception {
    String d = digest(bytes);
    Files.write(layout.resolve("blobs/sha256").resolve(d.substring(7)), bytes);
    return JSON.createObjectNode()
        .put("mediaType", mediaType)
        .put("digest", d)
        .put("size", bytes.length);
  }

  private static String digest(byte[] bytes) throws Exception {
    return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }

  private static void run(Path dir, String... command) throws Exception {
    Process p =
        new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor()).as("%s:\n%s", String.join(" ", command), out).isZero();
  }
}
