package dev.hearth.startd;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hearth.startd.auth.SessionExpiry;
import dev.hearth.startd.system.Power;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Builds {@link StartdConfig} from, in increasing precedence: built-in defaults, a JSON config file
 * ({@code --config}, keys as the flags without dashes), and flags. The only place that reads the
 * environment. With no file and no flags it runs as in production.
 *
 * <pre>
 * --data-dir DIR         default /var/lib/startos
 * --run-dir DIR          default /run/startos (or DATA/run when not root)
 * --listen HOST:PORT     repeatable; default 0.0.0.0:80
 * --tls HOST:PORT        default 0.0.0.0:443; "none" disables HTTPS
 * --power systemd|stop   default systemd under systemd, else stop
 * --max-request-bytes N  default 1048576
 * --runtime-image FILE   the container runtime image; default /usr/lib/hearth/runtime.squashfs.
 *                        Without one, services cannot run (and startd says so).
 * --bridge NAME          default hearth0
 * --subnet CIDR          default 10.47.0.0/24
 * --netns NAME           tests only: the network namespace that holds the bridge
 * --forward-bind ADDR    where port forwards listen; default 0.0.0.0
 * --session-idle D       a session unused this long ends; default 30d (D is N followed by d, h, m
 *                        or s)
 * --session-lifetime D   a session ends this long after its login, however busy; default 365d
 * --registry URL        repeatable: the Marketplace's default registries; default the Start9
 *                        Registry and the Community Registry
 * --download-patience D  how long a registry download retries without a byte; default 10m
 * --config FILE          JSON with the same keys, e.g. {"listen": ["127.0.0.1:8080"]}
 * </pre>
 */
public final class StartdConfigLoader {
  private static final int DEFAULT_MAX_REQUEST = 1 << 20; // 1 MiB: RPC params are small
  static final String DEFAULT_RUNTIME_IMAGE = "/usr/lib/hearth/runtime.squashfs";

  /** Upstream's main and community registries: their packages are built for StartOS 0.4. */
  static final List<String> DEFAULT_REGISTRIES =
      List.of("https://registry.start9.com/", "https://community-registry.start9.com/");

  private StartdConfigLoader() {}

  public static StartdConfig load(String[] args, Map<String, String> env) {
    Map<String, List<String>> flags = parse(args);
    JsonNode file = readFile(single(flags, "config"));
    String dataDir = pick(flags, file, "data-dir", "/var/lib/startos");
    boolean root = "root".equals(env.getOrDefault("USER", "")) || isRoot();
    String runDir =
        pick(flags, file, "run-dir", root ? "/run/startos" : Path.of(dataDir, "run").toString());
    List<String> listen = flags.getOrDefault("listen", fileList(file, "listen"));
    if (listen.isEmpty()) {
      listen = List.of("0.0.0.0:80");
    }
    String tls = pick(flags, file, "tls", "0.0.0.0:443");
    boolean systemd =
        env.containsKey("INVOCATION_ID") || Files.isDirectory(Path.of("/run/systemd/system"));
    String power = pick(flags, file, "power", systemd ? "systemd" : "stop");
    int maxRequest =
        Integer.parseInt(
            pick(flags, file, "max-request-bytes", Integer.toString(DEFAULT_MAX_REQUEST)));
    String image = pick(flags, file, "runtime-image", DEFAULT_RUNTIME_IMAGE);
    String netns = pick(flags, file, "netns", "");
    ContainerConfig containers = null;
    String unavailable = "";
    if (!Files.isRegularFile(Path.of(image))) {
      unavailable =
          "services cannot run: there is no container runtime image at "
              + image
              + " (build it with make -C container-runtime, or pass --runtime-image)";
    } else if (!root) {
      unavailable = "services cannot run: startd must run as root to make containers";
    } else {
      containers =
          new ContainerConfig(
              Path.of(image).toAbsolutePath(),
              pick(flags, file, "bridge", "hearth0"),
              pick(flags, file, "subnet", "10.47.0.0/24"),
              netns.isEmpty() ? null : netns,
              pick(flags, file, "forward-bind", "0.0.0.0"));
    }
    SessionExpiry sessions =
        new SessionExpiry(
            duration(
                "session-idle",
                pick(flags, file, "session-idle", days(SessionExpiry.DEFAULT.idle()))),
            duration(
                "session-lifetime",
                pick(flags, file, "session-lifetime", days(SessionExpiry.DEFAULT.lifetime()))));
    return new StartdConfig(
        Path.of(dataDir).toAbsolutePath(),
        Path.of(runDir).toAbsolutePath(),
        listen.stream().map(StartdConfigLoader::address).toList(),
        tls.equals("none") ? null : address(tls),
        switch (power.toLowerCase(Locale.ROOT)) {
          case "systemd" -> Power.Mode.SYSTEMD;
          case "stop" -> Power.Mode.STOP_DAEMON;
          default -> throw new IllegalArgumentException("--power is systemd or stop: " + power);
        },
        maxRequest,
        containers,
        unavailable,
        sessions,
        flags.getOrDefault("registry", fileList(file, "registry")).isEmpty()
            ? DEFAULT_REGISTRIES
            : flags.getOrDefault("registry", fileList(file, "registry")),
        duration("download-patience", pick(flags, file, "download-patience", "10m")));
  }

  private static final Pattern DURATION = Pattern.compile("([0-9]{1,9})([dhms])");

  /** A duration as {@code N} and a unit: {@code 30d}, {@code 12h}, {@code 90m}, {@code 45s}. */
  static Duration duration(String flag, String value) {
    Matcher m = DURATION.matcher(value.strip());
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "--" + flag + " is a number and a unit (d, h, m or s), such as 30d: \"" + value + "\"");
    }
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "d" -> Duration.ofDays(n);
      case "h" -> Duration.ofHours(n);
      case "m" -> Duration.ofMinutes(n);
      default -> Duration.ofSeconds(n);
    };
  }

  private static String days(Duration d) {
    return d.toDays() + "d";
  }

  private static boolean isRoot() {
    try {
      return "0".equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid").toString());
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
      return false;
    }
  }

  static InetSocketAddress address(String hostPort) {
    int colon = hostPort.lastIndexOf(':');
    if (colon <= 0) {
      throw new IllegalArgumentException("an address is HOST:PORT: \"" + hostPort + "\"");
    }
    String host = hostPort.substring(0, colon).replaceAll("^\\[|\\]$", "");
    int port = Integer.parseInt(hostPort.substring(colon + 1));
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("a port is 0..65535: " + hostPort);
    }
    return InetSocketAddress.createUnresolved(host, port);
  }

  private static Map<String, List<String>> parse(String[] args) {
    Map<String, List<String>> out = new java.util.HashMap<>();
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (!a.startsWith("--")) {
        throw new IllegalArgumentException(
            "unexpected argument \"" + a + "\"; flags are --name value");
      }
      String name = a.substring(2);
      String value;
      int eq = name.indexOf('=');
      if (eq >= 0) {
        value = name.substring(eq + 1);
        name = name.substring(0, eq);
      } else if (i + 1 < args.length) {
        value = args[++i];
      } else {
        throw new IllegalArgumentException("--" + name + " needs a value");
      }
      if (!List.of(
              "data-dir",
              "run-dir",
              "listen",
              "tls",
              "power",
              "max-request-bytes",
              "config",
              "runtime-image",
              "bridge",
              "subnet",
              "netns",
              "forward-bind",
              "session-idle",
              "session-lifetime",
              "registry",
              "download-patience")
          .contains(name)) {
        throw new IllegalArgumentException("unknown flag --" + name);
      }
      out.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
    }
    return out;
  }

  private static @Nullable String single(Map<String, List<String>> flags, String name) {
    List<String> v = flags.get(name);
    return v == null ? null : v.getLast();
  }

  private static String pick(
      Map<String, List<String>> flags, @Nullable JsonNode file, String name, String fallback) {
    String flag = single(flags, name);
    if (flag != null) {
      return flag;
    }
    if (file != null && file.hasNonNull(name)) {
      return file.get(name).asText();
    }
    return fallback;
  }

  private static List<String> fileList(@Nullable JsonNode file, String name) {
    List<String> out = new ArrayList<>();
    if (file != null && file.has(name)) {
      file.get(name).forEach(n -> out.add(n.asText()));
    }
    return out;
  }

  private static @Nullable JsonNode readFile(@Nullable String path) {
    if (path == null) {
      return null;
    }
    try {
      return new ObjectMapper().readTree(Path.of(path).toFile());
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "cannot read the config file " + path + ": " + e.getMessage());
    }
  }
}
