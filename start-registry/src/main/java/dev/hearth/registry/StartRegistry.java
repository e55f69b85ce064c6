package dev.hearth.registry;

import java.time.Clock;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code start-registry}: runs a registry until it is stopped (SIGTERM or Ctrl-C). Prints {@code
 * start-registry ready: <url>} once it answers.
 */
public final class StartRegistry {
  private static final Logger log = LoggerFactory.getLogger(StartRegistry.class);

  private StartRegistry() {}

  public static void main(String[] args) throws Exception {
    RegistryConfig config;
    try {
      config = RegistryConfig.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("start-registry: " + e.getMessage());
      System.exit(2);
      return;
    }
    Registry registry = Registry.start(config, Clock.systemUTC());
    var stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(() -> {
              try {
                registry.close();
              } catch (Exception e) {
                log.warn("stopping: {}", e.toString());
              }
              stopped.countDown();
            }));
    System.out.println("start-registry ready: " + registry.urls().getFirst());
    System.out.flush();
    stopped.await();
  }
}
