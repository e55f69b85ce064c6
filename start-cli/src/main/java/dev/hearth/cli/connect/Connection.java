package dev.hearth.cli.connect;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.hearth.cli.GlobalOptions;
import dev.hearth.cli.StartCli;
import dev.hearth.cli.crypto.LibcryptoProvider;
import dev.hearth.jsonrpc.RpcClient;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Model.CommandSpec;

/**
 * A client of the server the command line names, with the credentials it has: the local cookie when
 * the server is this machine and the cookie file is readable (root, as on the server itself), else
 * the session stored by {@code start-cli auth login} for that server.
 */
public final class Connection {
  private Connection() {}

  /**
   * The mapper of typed calls and of the commands that bind JSON to records. Made at its first use:
   * a call by name and the commands on a script's path need none ({@link
   * dev.hearth.jsonrpc.JsonTree}), and making one costs a fresh JVM about 50 ms.
   */
  public static ObjectMapper json() {
    return Mapper.JSON;
  }

  /** Holds the mapper: the JVM makes it when this class is first used, once, safely. */
  private static final class Mapper {
    static final ObjectMapper JSON =
        JsonMapper.builder().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();
  }

  /** Where the command line points, and how to authenticate there. */
  public record Target(URI url, Optional<String> localCookie, CookieJar jar, Optional<Path> ca) {}

  public static Target target(CommandSpec spec) {
    GlobalOptions g = GlobalOptions.of(spec);
    Endpoint e = Endpoint.of(g.host(), g.config(), g.ca());
    Optional<String> local =
        isThisMachine(e.url())
            ? Endpoint.readFirstLine(e.runDir().resolve("rpc.authcookie"))
            : Optional.empty();
    Path jarFile =
        g.cookiePath() != null
            ? g.cookiePath()
            : e.config().get("cookie-path") != null
                ? Path.of(Endpoint.expandHome(e.config().get("cookie-path"), e.home()))
                : e.home().resolve(".startos").resolve(".cookies.json");
    return new Target(e.url(), local, new CookieJar(jarFile), e.ca());
  }

  /** A client for the target, with its cookies set. */
  public static RpcClient client(Target target) {
    return client(target, null);
  }

  /**
   * A client for the target, with its cookies set, whose first call uses the connection {@code
   * head} opened if it was opened to this very target.
   */
  public static RpcClient client(Target target, @Nullable HeadStart head) {
    RpcClient client;
    if (head != null && head.isFor(target.url(), target.ca())) {
      client = new RpcClient(target.url(), Connection::json, head.tls(), head.connection());
    } else {
      if (head != null) {
        head.close();
      }
      if ("https".equalsIgnoreCase(target.url().getScheme())) {
        LibcryptoProvider.install();
      }
      client =
          new RpcClient(
              target.url(),
              Connection::json,
              target.ca().isPresent()
                  ? TrustAnchors.once(target.ca().get())
                  : RpcClient::defaultTls,
              null);
    }
    target.localCookie().ifPresent(c -> client.setCookie("local", c));
    target.jar().session(key(target.url())).ifPresent(client::setSession);
    return client;
  }

  /** A client for the server the command line names, using the connection opened ahead for it. */
  public static RpcClient client(CommandSpec spec) {
    return client(target(spec), ((StartCli) spec.root().userObject()).takeHeadStart());
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
}
