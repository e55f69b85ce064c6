package dev.hearth.startd;

import dev.hearth.startd.auth.SessionExpiry;
import dev.hearth.startd.system.Power;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Everything {@code startd} is told at start, validated once ({@link StartdConfigLoader} builds it
 * from defaults, a config file and flags).
 *
 * @param dataDir where the database, logs and later packages live (production: {@code
 *     /var/lib/startos})
 * @param runDir where the local auth cookie is written for the CLI (production: {@code
 *     /run/startos})
 * @param listen the HTTP listeners (production: port 80 on every address)
 * @param tls the HTTPS listener once set up (production: port 443), or null for none
 * @param power what restart and shutdown do
 * @param maxRequestBytes the largest JSON-RPC request body accepted
 * @param containers how service containers are made, or null when this machine cannot run them
 *     (then {@code package.*} methods say why)
 * @param containersUnavailable why there are no containers, when {@code containers} is null
 * @param sessions how long login sessions last (default idle 30 days, lifetime 365 days)
 */
public record StartdConfig(
    Path dataDir,
    Path runDir,
    List<InetSocketAddress> listen,
    @Nullable InetSocketAddress tls,
    Power.Mode power,
    int maxRequestBytes,
    @Nullable ContainerConfig containers,
    String containersUnavailable,
    SessionExpiry sessions,
    List<String> registries,
    java.time.Duration downloadPatience) {

  public StartdConfig {
    Objects.requireNonNull(dataDir, "dataDir");
    Objects.requireNonNull(runDir, "runDir");
    Objects.requireNonNull(sessions, "sessions");
    listen = List.copyOf(listen);
    registries = List.copyOf(registries);
    if (listen.isEmpty()) {
      throw new IllegalArgumentException("listen: give at least one HTTP address");
    }
    if (maxRequestBytes < 1024) {
      throw new IllegalArgumentException(
          "maxRequestBytes must be at least 1024: " + maxRequestBytes);
    }
  }
}
