package dev.hearth.registry;

import dev.hearth.registry.blob.S3Bucket;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * How a registry runs.
 *
 * @param dataDir its database and package files
 * @param listen where it answers
 * @param hostnames the names clients address it by: the contexts a signed request may be signed for
 *     (rpc.md §2.4)
 * @param publicUrl the base URL of its download links; empty: the one each client addressed
 * @param name its name, on first start
 * @param admins PEM files of public keys made admins at start (idempotent): how the first admin
 *     comes to be
 * @param maxPackageBytes the largest package file it accepts
 * @param s3 the bucket its package files are kept in; null: on disk, in {@code dataDir/packages}
 */
public record RegistryConfig(
    Path dataDir,
    List<InetSocketAddress> listen,
    List<String> hostnames,
    String publicUrl,
    String name,
    List<Path> admins,
    long maxPackageBytes,
    @Nullable S3Bucket s3) {
  public static final long DEFAULT_MAX_PACKAGE_BYTES = 8L << 30;

  /** Most S3-compatible servers take any region; AWS's oldest is the usual default. */
  public static final String DEFAULT_S3_REGION = "us-east-1";

  public RegistryConfig {
    listen = List.copyOf(listen);
    hostnames = List.copyOf(hostnames);
    admins = List.copyOf(admins);
  }

  /** A registry that keeps its package files on disk. */
  public RegistryConfig(
      Path dataDir,
      List<InetSocketAddress> listen,
      List<String> hostnames,
      String publicUrl,
      String name,
      List<Path> admins,
      long maxPackageBytes) {
    this(dataDir, listen, hostnames, publicUrl, name, admins, maxPackageBytes, null);
  }

  /** {@link #parse(String[], Map)} with this process's environment. */
  public static RegistryConfig parse(String[] args) {
    return parse(args, System.getenv());
  }

  /**
   * Reads {@code --data-dir DIR --listen HOST:PORT --hostname NAME --public-url URL --name NAME
   * --admin PEMFILE --max-package-bytes N}; the repeatable ones may be given several times. With
   * {@code --s3-bucket NAME} the package files go to that bucket ({@code --s3-endpoint URL
   * --s3-region R --s3-path-style --s3-downloads stream|redirect}), with the access key from {@code
   * AWS_ACCESS_KEY_ID}, {@code AWS_SECRET_ACCESS_KEY} and {@code AWS_SESSION_TOKEN} in {@code env}:
   * never from the command line, where any user of the machine can read it.
   *
   * @throws IllegalArgumentException naming what is wrong
   */
  public static RegistryConfig parse(String[] args, Map<String, String> env) {
    Path data = Path.of("registry-data");
    List<InetSocketAddress> listen = new ArrayList<>();
    List<String> hostnames = new ArrayList<>();
    String publicUrl = "";
    String name = "Hearth Registry";
    List<Path> admins = new ArrayList<>();
    long max = DEFAULT_MAX_PACKAGE_BYTES;
    String bucket = null;
    URI endpoint = null;
    String region = DEFAULT_S3_REGION;
    var addressing = S3Bucket.Addressing.VIRTUAL_HOST;
    var downloads = S3Bucket.Downloads.STREAM;
    List<String> s3Flags = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      String flag = args[i];
      if (flag.startsWith("--s3-")) {
        s3Flags.add(flag);
      }
      if (flag.equals("--s3-path-style")) {
        addressing = S3Bucket.Addressing.PATH;
        continue;
      }
      String value = i + 1 < args.length ? args[i + 1] : null;
      if (value == null) {
        throw new IllegalArgumentException(flag + " needs a value");
      }
      i++;
      switch (flag) {
        case "--data-dir" -> data = Path.of(value);
        case "--listen" -> listen.add(address(value));
        case "--hostname" -> hostnames.add(value);
        case "--public-url" ->
            publicUrl = value.endsWith("/") ? value.substring(0, value.length() - 1) : value;
        case "--name" -> name = value;
        case "--admin" -> admins.add(Path.of(value));
        case "--max-package-bytes" -> max = Long.parseLong(value);
        case "--s3-bucket" -> bucket = value;
        case "--s3-endpoint" -> endpoint = URI.create(value);
        case "--s3-region" -> region = value;
        case "--s3-downloads" ->
            downloads =
                switch (value) {
                  case "stream" -> S3Bucket.Downloads.STREAM;
                  case "redirect" -> S3Bucket.Downloads.REDIRECT;
                  default ->
                      throw new IllegalArgumentException(
                          "--s3-downloads is stream or redirect, not " + value);
                };
        default -> throw new IllegalArgumentException("unknown option " + flag);
      }
    }
    if (listen.isEmpty()) {
      listen.add(new InetSocketAddress("127.0.0.1", 5959));
    }
    if (hostnames.isEmpty()) {
      hostnames.add("localhost");
    }
    S3Bucket s3 = null;
    if (bucket != null) {
      String id = env.getOrDefault("AWS_ACCESS_KEY_ID", "");
      String secret = env.getOrDefault("AWS_SECRET_ACCESS_KEY", "");
      if (id.isBlank() || secret.isBlank()) {
        throw new IllegalArgumentException(
            "--s3-bucket needs AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY in the environment");
      }
      String token = env.getOrDefault("AWS_SESSION_TOKEN", "");
      s3 =
          new S3Bucket(
              endpoint,
              bucket,
              region,
              addressing,
              downloads,
              new S3Bucket.Credentials(id, secret, token.isBlank() ? null : token));
    } else if (!s3Flags.isEmpty()) {
      throw new IllegalArgumentException(s3Flags.getFirst() + " needs --s3-bucket");
    }
    return new RegistryConfig(data, listen, hostnames, publicUrl, name, admins, max, s3);
  }

  static InetSocketAddress address(String hostPort) {
    int colon = hostPort.lastIndexOf(':');
    if (colon < 0) {
      throw new IllegalArgumentException("--listen is HOST:PORT, not " + hostPort);
    }
    String host = hostPort.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    return new InetSocketAddress(host, Integer.parseInt(hostPort.substring(colon + 1)));
  }
}
