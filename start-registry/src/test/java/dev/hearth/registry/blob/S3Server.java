package dev.hearth.registry.blob;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A real S3-compatible server for tests: s3proxy (Maven Central's {@code
 * org.gaul:s3proxy:jar-with-dependencies}, copied to {@code target/s3proxy} by the build) on its
 * file-system backend, as its own process on a free loopback port, its files in a temporary
 * directory. One server serves a whole test run ({@link Extension}); each test makes its own
 * bucket.
 */
public final class S3Server implements AutoCloseable {
  public static final String ACCESS_KEY = "hearth-test";
  public static final String SECRET = "hearth-test-secret";

  /** The line Jetty logs once s3proxy listens, with the port it got. */
  private static final Pattern LISTENING =
      Pattern.compile("Started .*ServerConnector.*\\{127\\.0\\.0\\.1:(\\d+)}");

  private static final long START_SECONDS = 60; // a cold JVM on a busy 2-core machine

  public final URI endpoint;
  private final Process process;
  private final Path dir;
  private final S3Client client;

  private S3Server(URI endpoint, Process process, Path dir) {
    this.endpoint = endpoint;
    this.process = process;
    this.dir = dir;
    this.client =
        S3Client.builder()
            .httpClient(UrlConnectionHttpClient.create())
            .region(Region.US_EAST_1)
            .credentialsProvider(
                StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET)))
            .endpointOverride(endpoint)
            .forcePathStyle(true)
            .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
            .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
            .build();
  }

  /** Starts a server and waits until it listens. */
  public static S3Server start() throws IOException, InterruptedException {
    String jar = System.getProperty("hearth.s3proxy.jar");
    if (jar == null || !Files.isRegularFile(Path.of(jar))) {
      throw new IllegalStateException(
          "no s3proxy jar at " + jar + ": run the tests through Maven, which copies it there");
    }
    Path dir = Files.createTempDirectory("s3proxy-");
    Files.createDirectories(dir.resolve("data"));
    Path properties = dir.resolve("s3proxy.properties");
    Files.writeString(
        properties,
        String.join(
            "\n",
            "s3proxy.endpoint=http://127.0.0.1:0",
            "s3proxy.authorization=aws-v2-or-v4",
            "s3proxy.identity=" + ACCESS_KEY,
            "s3proxy.credential=" + SECRET,
            "jclouds.provider=filesystem",
            "jclouds.filesystem.basedir=" + dir.resolve("data"),
            "jclouds.identity=unused",
            "jclouds.credential=unused",
            ""));
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process process =
        new ProcessBuilder(
                java,
                "-Xmx256m",
                "-XX:TieredStopAtLevel=1",
                "-jar",
                jar,
                "--properties",
                properties.toString())
            .redirectErrorStream(true)
            .start();
    process.getOutputStream().close();
    CompletableFuture<Integer> port = new CompletableFuture<>();
    Deque<String> tail = new ArrayDeque<>();
    Thread.ofVirtual()
        .name("s3proxy-output")
        .start(() -> {
          try (var out =
              new BufferedReader(
                  new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = out.readLine(); line != null; line = out.readLine()) {
              if (!port.isDone()) {
                tail.addLast(line);
                if (tail.size() > 40) {
                  tail.removeFirst();
                }
                Matcher m = LISTENING.matcher(line);
                if (m.find()) {
                  port.complete(Integer.parseInt(m.group(1)));
                }
              }
            }
          } catch (IOException e) {
            port.completeExceptionally(e);
          }
          port.completeExceptionally(
              new IllegalStateException("s3proxy exited before it listened:\n" + tailOf(tail)));
        });
    try {
      int p = port.get(START_SECONDS, TimeUnit.SECONDS);
      return new S3Server(URI.create("http://127.0.0.1:" + p), process, dir);
    } catch (ExecutionException | TimeoutException e) {
      process.destroyForcibly().waitFor();
      delete(dir);
      throw new IllegalStateException("s3proxy did not start: " + e.getMessage(), e);
    }
  }

  private static String tailOf(Deque<String> tail) { // read and written by the output thread only
    return String.join("\n", tail);
  }

  /** A client of the server's, to make buckets and look inside them. */
  public S3Client client() {
    return client;
  }

  /** A new empty bucket, and how a store reaches it. */
  public S3Bucket bucket(S3Bucket.Downloads downloads) {
    String name = "hearth-" + UUID.randomUUID().toString().substring(0, 8);
    client.createBucket(b -> b.bucket(name));
    return new S3Bucket(
        endpoint,
        name,
        "us-east-1",
        S3Bucket.Addressing.PATH,
        downloads,
        new S3Bucket.Credentials(ACCESS_KEY, SECRET, null));
  }

  @Override
  public void close() {
    client.close();
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    delete(dir);
  }

  private static void delete(Path dir) {
    try (Stream<Path> all = Files.walk(dir)) {
      all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Hands a test an {@code S3Server} parameter: one for the whole run, started on first use and
   * stopped when JUnit closes its root store.
   */
  public static final class Extension implements ParameterResolver {
    private static final ExtensionContext.Namespace NAMESPACE =
        ExtensionContext.Namespace.create(S3Server.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
      return parameter.getParameter().getType() == S3Server.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
      return context
          .getRoot()
          .getStore(NAMESPACE)
          .getOrComputeIfAbsent(
              S3Server.class,
              k -> {
                try {
                  return start();
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                  throw new IllegalStateException(e);
                }
              },
              S3Server.class);
    }
  }
}
