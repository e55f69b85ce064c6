package dev.hearth.startd.marketplace;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hearth.error.ErrorKind;
import dev.hearth.error.StartException;
import dev.hearth.jsonrpc.RpcClient;
import dev.hearth.s9pk.sign.DeveloperKey;
import dev.hearth.s9pk.sign.RequestSignature;
import dev.hearth.startd.db.Database;
import dev.hearth.startd.db.PrivatePaths;
import dev.hearth.startd.system.OsRelease;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * Calls to registries: each signed with the server's developer key for the registry's host name
 * (rpc.md §2.4), with this machine's {@code X-StartOS-Device-Info}, bounded in time so a dead
 * registry is a clear error and not a hang, and the answers of reading methods kept for {@link
 * #FRESH} so the Marketplace's pages open at once.
 */
final class RegistryCalls {
  static final Duration CALL_TIMEOUT = Duration.ofSeconds(15);

  /**
   * The longest answer read from a registry: a whole index with icons fits many times over, and a
   * hostile one cannot fill this daemon's heap (its -Xmx is 128 MiB) before it is refused.
   */
  static final long MAX_ANSWER_BYTES = 8L << 20;

  static final Duration FRESH = Duration.ofSeconds(30);
  private static final int CACHE_ENTRIES = 512;

  private record Kept(Instant at, JsonNode answer) {}

  private final Database db;
  private final ObjectMapper mapper;
  private final InstantSource clock;
  private final String deviceInfo;
  private final SecureRandom random = new SecureRandom();
  private final Map<String, Kept> cache = new ConcurrentHashMap<>();

  RegistryCalls(Database db, ObjectMapper mapper, InstantSource clock, String arch, long ramBytes) {
    this.db = db;
    this.mapper = mapper;
    this.clock = clock;
    this.deviceInfo =
        "os.version="
            + enc(OsRelease.VERSION)
            + "&os.compat="
            + enc(OsRelease.COMPAT)
            + "&os.platform="
            + enc(arch)
            + "&hardware.arch="
            + enc(arch)
            + (ramBytes > 0 ? "&hardware.ram=" + ramBytes : "");
  }

  /** The device header this server sends. */
  String deviceInfo() {
    return deviceInfo;
  }

  /**
   * Calls {@code method} on {@code registry}; a reading method's answer may come from the cache.
   *
   * @throws StartException the registry's error, or NETWORK naming the registry when it cannot be
   *     reached or does not answer in time
   */
  JsonNode call(String registry, String method, JsonNode params) {
    boolean reading = isReading(method);
    String key = registry + " " + method + " " + params;
    Instant now = clock.instant();
    if (reading) {
      Kept kept = cache.get(key);
      if (kept != null && kept.at().plus(FRESH).isAfter(now)) {
        return kept.answer();
      }
    }
    JsonNode answer;
    try (RpcClient client = client(registry)) {
      answer = client.call(method, params);
    } catch (StartException e) {
      if (e.kind() == ErrorKind.NETWORK) {
        throw new StartException(
            ErrorKind.NETWORK,
            "the registry " + registry + " cannot be reached: " + e.getMessage(),
            e);
      }
      throw e;
    }
    if (reading) {
      if (cache.size() >= CACHE_ENTRIES) {
        prune(now);
      }
      cache.put(key, new Kept(now, answer));
    }
    return answer;
  }

  /** Forgets what was kept of a registry (after an install, so the next page is current). */
  void forget(String registry) {
    cache.keySet().removeIf(k -> k.startsWith(registry + " "));
  }

  private void prune(Instant now) {
    for (Iterator<Kept> it = cache.values().iterator(); it.hasNext(); ) {
      if (!it.next().at().plus(FRESH).isAfter(now)) {
        it.remove();
      }
    }
    if (cache.size() >= CACHE_ENTRIES) {
      cache.clear();
    }
  }

  private RpcClient client(String registry) {
    URI base = URI.create(registry);
    RpcClient client = new RpcClient(base, () -> mapper, RpcClient::defaultTls, null);
    client.setRpcPath(base.getRawPath().replaceAll("/$", "") + "/rpc/v0");
    client.setCallTimeout(CALL_TIMEOUT);
    client.setMaxResponseBytes(MAX_ANSWER_BYTES);
    client.addHeader("X-StartOS-Device-Info", deviceInfo);
    DeveloperKey key = developerKey();
    if (key != null) {
      String host = base.getHost();
      client.setBodyHeader(body ->
          new String[] {
            RequestSignature.HEADER,
            RequestSignature.sign(
                    key, host, body, clock.instant().getEpochSecond(), random.nextLong())
                .header()
          });
    }
    return client;
  }

  private @Nullable DeveloperKey developerKey() {
    return db.snapshot().get(PrivatePaths.DEVELOPER_KEY).map(DeveloperKey::parsePem).orElse(null);
  }

  private static boolean isReading(String method) {
    return switch (method) {
      case "info", "package.index", "package.get", "package.category.list", "package.signer.list" ->
          true;
      default -> false;
    };
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
