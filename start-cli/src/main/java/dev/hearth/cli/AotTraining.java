package dev.hearth.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hearth.jsonrpc.JsonTree;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * The training run of {@code start-cli}'s AOT cache (JDK 25, {@code -XX:AOTCacheOutput}), made when
 * the jar is built: it runs the commands people and scripts run most, in one JVM, so the cache
 * holds the classes they load, linked, and their profiles. The launcher runs it when {@code
 * START_CLI_AOT_TRAINING} names the cache to write, with the very flags it runs commands with.
 *
 * <p>Calls go, over HTTP and over TLS, to a stand-in server on loopback that answers each method
 * with a result of the shape the daemon gives, so that parsing, the HTTP client, JSON and the
 * tables are all exercised. Output is discarded.
 */
final class AotTraining {
  private AotTraining() {}

  /**
   * @param args {@code tls} to train calls over TLS too (the cache the launcher uses for https
   *     servers), {@code hash} to train {@code util b3sum} alone (the cache for util and s9pk);
   *     {@code tls-server DIR} is the stand-in TLS server's own process
   */
  public static void main(String[] args) throws Exception {
    if (args.length == 2 && args[0].equals("tls-server")) {
      serveTls(Path.of(args[1]));
      return;
    }
    boolean tls = List.of(args).contains("tls");
    boolean hash = List.of(args).contains("hash");
    PrintStream out = System.out;
    PrintStream err = System.err;
    Path home = Files.createTempDirectory("start-cli-aot");
    Path ca = home.resolve("ca.crt");
    // Only the TLS cache may hold TLS classes, and only a client's: the server runs in a process
    // of its own, so its key store, key managers and server handshake stay out of the cache that
    // every https call loads at its start.
    Process tlsServer = tls ? startTlsServer(home) : null;
    try (var server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      Thread.ofPlatform().daemon().start(() -> serve(server));
      String host = "http://127.0.0.1:" + server.getLocalPort();
      String tlsHost = tlsServer == null ? "" : "https://127.0.0.1:" + tlsPort(tlsServer);
      var sink = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
      System.setOut(sink);
      System.setErr(sink);
      List<List<String>> commands =
          List.of(
              List.of("echo", "hi"),
              List.of("package", "list"),
              List.of("package", "list", "--format", "json"),
              List.of("notification", "list"),
              List.of("server", "time"),
              // Calls through the typed client, which binds parameters and results with a mapper,
              // as most commands do: a string, then a map of records. The mapper's machinery for
              // them is then in the cache.
              List.of("state"),
              List.of("package", "stats"));
      for (int round = 0; round < (hash ? 0 : 3); round++) {
        for (List<String> command : commands) {
          StartCli.run(
              concat(List.of("-H", host, "--cookie-path", home + "/cookies.json"), command));
          if (tls) {
            // As from another machine: TLS with the server's CA as the one trust anchor.
            StartCli.run(
                concat(
                    List.of(
                        "-H", tlsHost, "--ca", ca.toString(), "--cookie-path", home + "/c.json"),
                    command));
          }
        }
      }
      if (hash) {
        // util b3sum: the native BLAKE3 library through the FFM API, mapped and read; longer than
        // 8 MiB, so that the mapped file is hashed on several threads, as a large one is.
        Path file = home.resolve("file");
        Files.write(file, new byte[12 << 20]);
        for (int round = 0; round < 3; round++) {
          StartCli.run("util", "b3sum", file.toString());
          StartCli.run("util", "b3sum", "--no-mmap", file.toString());
        }
      }
    } finally {
      System.setOut(out);
      System.setErr(err);
      if (tlsServer != null) {
        tlsServer.getOutputStream().close(); // its stdin closes: it stops
        tlsServer.waitFor();
      }
      try (var paths = Files.walk(home)) {
        for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      }
    }
    // Exit as a command does: System.exit asks java.base's lazy logger of java.lang.Runtime
    // whether to log the exit, and its classes then come from the cache, not from the runtime
    // image, which the JVM would otherwise open for them at every exit.
    System.exit(0);
  }

  /**
   * Starts the stand-in TLS server's process (plain {@code java}, no cache flags) in {@code dir}.
   */
  private static Process startTlsServer(Path dir) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    return new ProcessBuilder(
            java,
            "-cp",
            System.getProperty("java.class.path"),
            AotTraining.class.getName(),
            "tls-server",
            dir.toString())
        .redirectError(ProcessBuilder.Redirect.INHERIT)
        .start();
  }

  /** The port the TLS server's process prints once it listens and has written its CA. */
  private static int tlsPort(Process server) throws IOException {
    var line = new StringBuilder();
    InputStream in = server.getInputStream();
    for (int c = in.read(); c != -1 && c != '\n'; c = in.read()) {
      line.append((char) c);
    }
    try {
      return Integer.parseInt(line.toString().strip());
    } catch (NumberFormatException e) {
      throw new IllegalStateException("the training's TLS server did not start: " + line, e);
    }
  }

  /** The TLS server's process: listens, prints its port, serves until its stdin closes. */
  private static void serveTls(Path dir) throws Exception {
    try (ServerSocket server = tlsServer(dir, dir.resolve("ca.crt"))) {
      Thread.ofPlatform().daemon().start(() -> serve(server));
      System.out.println(server.getLocalPort());
      System.out.flush();
      System.in.transferTo(java.io.OutputStream.nullOutputStream());
    }
  }

  /**
   * A TLS server socket on loopback whose chain has the shape of a StartOS server's (a Root CA, and
   * a leaf it signs for the server's names; EC P-256 both), the Root CA's PEM written to {@code
   * ca}. With the CA as the anchor the client validates the chain, as against {@code startd}, so
   * the cache holds the chain validator's classes too: a self-signed leaf as its own anchor would
   * skip them.
   */
  private static ServerSocket tlsServer(Path dir, Path ca) throws Exception {
    Path store = dir.resolve("server.p12");
    Path request = dir.resolve("server.csr");
    Path signed = dir.resolve("server.crt");
    String pass = "training";
    List<String> inStore = List.of("-keystore", store.toString(), "-storepass", pass);
    keytool(
        inStore,
        "-genkeypair",
        "-alias",
        "ca",
        "-keyalg",
        "EC",
        "-groupname",
        "secp256r1",
        "-dname",
        "CN=training Root CA",
        "-ext",
        "bc:c",
        "-validity",
        "2");
    keytool(
        inStore,
        "-genkeypair",
        "-alias",
        "server",
        "-keyalg",
        "EC",
        "-groupname",
        "secp256r1",
        "-dname",
        "CN=127.0.0.1",
        "-validity",
        "2");
    keytool(inStore, "-certreq", "-alias", "server", "-file", request.toString());
    keytool(
        inStore,
        "-gencert",
        "-alias",
        "ca",
        "-infile",
        request.toString(),
        "-outfile",
        signed.toString(),
        "-rfc",
        "-ext",
        "SAN=dns:training.local,ip:127.0.0.1",
        "-ext",
        "KU=digitalSignature",
        "-ext",
        "EKU=serverAuth",
        "-validity",
        "2");
    keytool(inStore, "-importcert", "-noprompt", "-alias", "server", "-file", signed.toString());
    keytool(inStore, "-exportcert", "-rfc", "-alias", "ca", "-file", ca.toString());
    // The server's entry keeps the chain [leaf, CA]; the CA's key goes, so that the server can
    // only present the leaf.
    keytool(inStore, "-delete", "-alias", "ca");
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(store)) {
      ks.load(in, pass.toCharArray());
    }
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(ks, pass.toCharArray());
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(kmf.getKeyManagers(), null, null);
    return ctx.getServerSocketFactory().createServerSocket(0, 50, InetAddress.getLoopbackAddress());
  }

  private static void keytool(List<String> store, String... argv) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    command.addAll(List.of(argv));
    command.addAll(store);
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String said = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.waitFor() != 0) {
      throw new IllegalStateException("keytool " + argv[0] + " failed: " + said);
    }
  }

  private static String[] concat(List<String> a, List<String> b) {
    return java.util.stream.Stream.concat(a.stream(), b.stream()).toArray(String[]::new);
  }

  private static void serve(ServerSocket server) {
    while (!server.isClosed()) {
      try (Socket s = server.accept()) {
        InputStream in = s.getInputStream();
        var head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
          int c = in.read();
          if (c == -1) {
            break;
          }
          head.append((char) c);
        }
        int length = 0;
        for (String line : head.toString().split("\r\n")) {
          if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
            length = Integer.parseInt(line.substring(15).strip());
          }
        }
        byte[] body = JsonTree.bytes(answer(JsonTree.parse(in.readNBytes(length))));
        s.getOutputStream()
            .write(
                ("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nX-Patch-Sequence: 1\r\n"
                        + "Content-Length: "
                        + body.length
                        + "\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
        s.getOutputStream().write(body);
      } catch (IOException e) {
        // a closed server ends the loop; a broken exchange is only a less useful training run
      }
    }
  }

  /**
   * A result of the shape {@code startd} gives for each method the training calls, made without a
   * mapper: a class the training loads is in the cache, and loaded at every start.
   */
  private static ObjectNode answer(JsonNode request) {
    JsonNodeFactory nodes = JsonNodeFactory.instance;
    ObjectNode response = nodes.objectNode();
    response.put("jsonrpc", "2.0");
    response.set("id", request.path("id"));
    JsonNode result =
        switch (request.path("method").asText()) {
          case "echo" -> request.path("params").path("message");
          case "package.list" ->
              nodes
                  .arrayNode()
                  .add(
                      nodes
                          .objectNode()
                          .put("id", "hello-world")
                          .put("version", "1.0.0:0")
                          .put("status", "running"));
          case "db.dump" -> nodes.objectNode().put("id", 1).putNull("value");
          case "notification.list" -> {
            ObjectNode n = nodes.objectNode();
            n.put("id", 1).put("packageId", "hello-world").put("createdAt", "2026-12-05T00:00:00Z");
            n.put("code", 0).put("level", "info").put("title", "Installed");
            n.put("message", "hello-world was installed").putNull("data").put("seen", false);
            yield nodes.arrayNode().add(n);
          }
          case "state" -> nodes.textNode("running");
          case "package.stats" ->
              nodes
                  .objectNode()
                  .set(
                      "hello-world",
                      nodes
                          .objectNode()
                          .put("container_id", "hello-world")
                          .put("memory_usage", 41.5)
                          .put("memory_limit", 0.0));
          case "server.time" ->
              nodes.objectNode().put("now", "2026-12-05T00:00:00Z").put("uptime", 42);
          default -> null;
        };
    if (result == null) {
      ObjectNode error = response.putObject("error");
      error.put("code", -32601);
      error.put("message", "Method not found");
    } else {
      response.set("result", result);
    }
    return response;
  }
}
