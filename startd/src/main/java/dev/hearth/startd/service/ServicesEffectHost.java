package dev.hearth.startd.service;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hearth.api.NotificationApi;
import dev.hearth.patchdb.DbPath;
import dev.hearth.patchdb.Tx;
import dev.hearth.patchdb.Watch;
import dev.hearth.patchdb.json.JsonCodec;
import dev.hearth.patchdb.json.JsonPointer;
import dev.hearth.startd.notification.Notifications;
import dev.hearth.startd.service.effect.EffectHost;
import dev.hearth.startd.service.model.Health;
import dev.hearth.startd.service.model.PackageId;
import dev.hearth.startd.service.model.PackagePaths;
import dev.hearth.startd.service.model.StatusInfo;
import java.net.Inet4Address;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The effect handlers' view of the server, over {@link Services}: a thin adapter, so the handlers
 * ({@code service.effect}) never reach into the wing. Nothing here waits on a service's actor,
 * which may itself be waiting on the runtime whose effect this is: run-state changes are told to
 * the actor without waiting, facts are written and the actor signalled.
 */
final class ServicesEffectHost implements EffectHost {
  private final Services services;

  ServicesEffectHost(Services services) {
    this.services = services;
  }

  private ServiceContext ctx() {
    return services.ctx;
  }

  @Override
  public <T> Optional<T> read(DbPath<T> path) {
    return ctx().db().snapshot().get(path);
  }

  @Override
  public <R> R mutateAs(PackageId packageId, Function<Tx, R> change) {
    return ctx()
        .db()
        .transact(tx -> {
          R result = change.apply(tx);
          StorageQuota.check(tx, packageId);
          return result;
        })
        .value();
  }

  @Override
  public Watch watch(JsonPointer path) {
    return ctx().db().watch(path);
  }

  @Override
  public JsonCodec codec() {
    return ctx().db().codec();
  }

  @Override
  public InstantSource clock() {
    return ctx().clock();
  }

  @Override
  public void control(PackageId packageId, Control change) {
    switch (change) {
      case RESTART ->
          services.tellLater(packageId, new Transition.Restart(new CompletableFuture<>()));
      case STOP -> services.tellLater(packageId, new Transition.Stop(new CompletableFuture<>()));
      case MAIN_STARTED -> services.reportMain(packageId, true);
      case MAIN_STOPPED -> services.reportMain(packageId, false);
    }
  }

  @Override
  public void recordHealth(PackageId packageId, String checkId, Health health) {
    mutateAs(
        packageId,
        tx -> {
          StatusInfo s = tx.get(PackagePaths.status(packageId)).orElse(null);
          // Reports that arrive after a stop belong to the old run.
          if (s != null && s.isStarted()) {
            tx.put(PackagePaths.status(packageId), s.withHealth(checkId, health));
          }
          return null;
        });
  }

  @Override
  public void rebuild(PackageId packageId) {
    services.rebuild(packageId);
  }

  @Override
  public JsonNode getActionInput(PackageId packageId, String actionId, @Nullable JsonNode prefill)
      throws InterruptedException {
    return services.getActionInput(packageId, actionId, prefill, null);
  }

  @Override
  public JsonNode runAction(PackageId packageId, String actionId, @Nullable JsonNode input) {
    return services.runAction(packageId, actionId, null, input);
  }

  @Override
  public Optional<JsonNode> currentInput(PackageId packageId, String actionId)
      throws InterruptedException {
    return services.actions.currentInput(packageId, actionId);
  }

  @Override
  public List<PackageId> installedIds() {
    return services.installedIds();
  }

  @Override
  public Optional<Inet4Address> runningIp(PackageId packageId) {
    return services
        .loadedService(packageId)
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
    return services.forwards;
  }

  @Override
  public Path dataVersionFile(PackageId packageId) {
    return ctx().dirs().dataVersionFile(packageId);
  }

  @Override
  public Path volume(PackageId packageId, String volumeId) {
    return ctx().dirs().volume(packageId, volumeId);
  }

  @Override
  public void notify(
      Tx tx,
      PackageId packageId,
      NotificationApi.Level level,
      String title,
      String message,
      @Nullable JsonNode data) {
    ctx()
        .notifications()
        .create(
            tx,
            packageId.value(),
            level,
            title,
            message,
            data == null ? Notifications.CODE_PLAIN : 2,
            data);
  }

  @Override
  public void showInitProgress(PackageId packageId, JsonNode phaseValue) {
    ctx().progress().reported(packageId, phaseValue);
  }
}
