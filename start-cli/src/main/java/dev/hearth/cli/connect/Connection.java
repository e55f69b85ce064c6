package dev.hearth.cli.connect;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.hearth.cli.GlobalOptions;
import dev.hearth.jsonrpc.RpcClient;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Model.CommandSpec;

/**
 * A client of the server the command line names, with the credentials it has: the local cookie when
 * the server is this machine and the cookie file is readable (root, as on the server itself), else
 * the session stored by {@code start-cli auth login} for that server.
 */
public final class Connection {
  public static final ObjectMapper JSON =
      JsonMapper.builder().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();
  private static final String DEFAULT_RUN_DIR = "/run/startos";

  private Connection() {}

  /** Where the command line points, and how to authenticate there. */
  public record Target(URI url, Optional<String> localCookie, CookieJar jar, Optional<Path> ca) {}

  public static Target target(CommandSpec spec) {
    GlobalOptions g = GlobalOptions.of(spec);
    Path home = Path.of(System.getProperty("user.home"));
    CliConfig config = CliConfig.load(g.config(), home);
    Path runDir = Path.of(orDefault(config.get("run-dir"), DEFAULT_RUN_DIR));
    String host = g.host();
    if (host == null) {
      host = config.get("host");
    }
    if (host == null) {
      host = readFirstLine(runDir.resolve("startd.url")).orElse("http://localhost");
    }
    URI url = URI.create(host.contains("://") ? host : "http://" + host);
    Optional<String> local =
        isThisMachine(url) ? readFirstLine(runDir.resolve("rpc.authcookie")) : Optional.empty();
    Path jarFile =
        g.cookiePath() != null
            ? g.cookiePath()
            : config.get("cookie-path") != null
                ? Path.of(expandHome(config.get("cookie-path"), home))
                : home.resolve(".startos").resolve(".cookies.json");
    Optional<Path> ca =
        g.ca() != null
            ? Optional.of(g.ca())
            : Optional.ofNullable(config.get("ca")).map(c -> Path.of(expandHome(c, home)));
    return new Target(url, local, new CookieJar(jarFile), ca);
  }

  /** A client for the target, with its cookies set. */
  public static RpcClient client(Target target) {
    var client =
        target.ca().isPresent()
            ? new RpcClient(target.url(), JSON, () -> TrustAnchors.trusting(target.ca().get()))
            : new RpcClient(target.url(), JSON);
    target.localCookie().ifPresent(c -> client.setCookie("local", c));
    target.jar().session(key(target.url())).ifPresent(client::setSession);
    return client;
  }

  public static RpcClient client(CommandSpec spec) {
    return client(target(spec));
  }

  /** The cookie jar's key for a server: its URL without path. */
  public static String key(URI url) {
    return url.getScheme() + "://" + url.getRawAuthority();
  }

  private static boolean isThisMachine(URI url) {
    String host = url.getHost();
    if (host == null) {
      return false;
    }
    try {
      return host.equals("localhost") || InetAddress.getByName(host).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }

  private static Optional<String> readFirstLine(Path file) {
    try {
      return Files.isReadable(file)
          ? Files.readAllLines(file).stream()
              .findFirst()
              .map(String::strip)
              .filter(s -> !s.isEmpty())
          : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private static String orDefault(String value, String fallback) {
    return value == null ? fallback : value;
  }

  private static String expandHome(String path, Path home) {
    return path.startsWith("~/") ? home.resolve(path.substring(2)).toString() : path;
  }
}
