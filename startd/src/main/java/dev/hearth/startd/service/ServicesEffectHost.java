package dev.hearth.startd.service;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hearth.api.NotificationApi;
import dev.hearth.patchdb.DbPath;
import dev.hearth.patchdb.Tx;
import dev.hearth.patchdb.Watch;
import dev.hearth.patchdb.json.JsonCodec;
import dev.hearth.patchdb.json.JsonPointer;
import dev.hearth.startd.continuation.ProgressTracker;
import dev.hearth.startd.notification.Notifications;
import dev.hearth.startd.service.effect.EffectHost;
import java.net.Inet4Address;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The effect handlers' view of the server, over today's {@link Services}: a thin adapter, so the
 * handlers ({@code service.effect}) never reach into the facade's fields.
 */
final class ServicesEffectHost implements EffectHost {
  private final Services services;

  ServicesEffectHost(Services services) {
    this.services = services;
  }

  @Override
  public <T> Optional<T> read(DbPath<T> path) {
    return services.db.snapshot().get(path);
  }

  @Override
  public <R> R mutateAs(String packageId, Function<Tx, R> change) {
    return services
        .db
        .transact(tx -> {
          R result = change.apply(tx);
          StorageQuota.check(tx, packageId);
          return result;
        })
        .value();
  }

  @Override
  public Watch watch(JsonPointer path) {
    return services.db.watch(path);
  }

  @Override
  public JsonCodec codec() {
    return services.db.codec();
  }

  @Override
  public InstantSource clock() {
    return services.clock;
  }

  @Override
  public void control(String packageId, Control change) {
    String now = services.clock.instant().toString();
    services.changeStatus(
        packageId,
        switch (change) {
          case RESTART -> StatusInfo::restart;
          case STOP -> StatusInfo::stop;
          case MAIN_STARTED -> s -> s.startedAt(now);
          case MAIN_STOPPED -> StatusInfo::stoppedNow;
        });
  }

  @Override
  public void recordHealth(
      String packageId, String checkId, String name, String result, @Nullable String message) {
    mutateAs(
        packageId,
        tx -> {
          tx.get(PackagePaths.status(packageId))
              .ifPresent(s -> {
                // Reports that arrive after a stop belong to the old run.
                if (s.started() != null) {
                  tx.put(
                      PackagePaths.status(packageId),
                      s.withHealth(checkId, new StatusInfo.Health(name, result, message)));
                }
              });
          return null;
        });
  }

  @Override
  public void rebuild(String packageId) {
    services.rebuild(packageId);
  }

  @Override
  public JsonNode getActionInput(String packageId, String actionId, @Nullable JsonNode prefill)
      throws InterruptedException {
    return services.getActionInput(packageId, actionId, prefill, null);
  }

  @Override
  public JsonNode runAction(String packageId, String actionId, @Nullable JsonNode input)
      throws InterruptedException {
    return services.runAction(packageId, actionId, null, input);
  }

  @Override
  public Optional<JsonNode> currentInput(String packageId, String actionId)
      throws InterruptedException {
    return services.currentInput(packageId, actionId);
  }

  @Override
  public List<String> installedIds() {
    return services.installedIds();
  }

  @Override
  public Optional<Inet4Address> runningIp(String packageId) {
    return services
        .anyLoaded(packageId)
        .filter(l -> l.sandbox.isRunning())
        .map(l -> l.sandbox.ip());
  }

  @Override
  public List<Gateway> gateways() {
    return services.sandboxes.gateways().stream()
        .map(g -> new Gateway(g.name(), g.ipv4()))
        .toList();
  }

  @Override
  public Inet4Address hostAddress() {
    return services.sandboxes.hostAddress();
  }

  @Override
  public PortForwards forwards() {
    return services.forwards();
  }

  @Override
  public Path dataVersionFile(String packageId) {
    return services.dirs.dataVersionFile(packageId);
  }

  @Override
  public Path volume(String packageId, String volumeId) {
    return services.dirs.volume(packageId, volumeId);
  }

  @Override
  public void notify(
      Tx tx,
      String packageId,
      NotificationApi.Level level,
      String title,
      String message,
      @Nullable JsonNode data) {
    services.notifications.create(
        tx, packageId, level, title, message, data == null ? Notifications.CODE_PLAIN : 2, data);
  }

  @Override
  public void showInitProgress(String packageId, JsonNode phaseValue) {
    ProgressTracker install = services.initializing.get(packageId);
    if (install != null) {
      services.installer.showProgress(packageId, install, Installer.INSTALLING, phaseValue);
    }
  }
}
