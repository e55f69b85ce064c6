package dev.hearth.startd.service.effect;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hearth.api.NotificationApi;
import dev.hearth.patchdb.DbPath;
import dev.hearth.patchdb.Tx;
import dev.hearth.patchdb.Watch;
import dev.hearth.patchdb.json.JsonCodec;
import dev.hearth.patchdb.json.JsonPointer;
import dev.hearth.startd.net.Protocol;
import dev.hearth.startd.service.model.Health;
import dev.hearth.startd.service.model.PackageId;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * What the effect handlers need from the rest of the server, and nothing more: the database (every
 * write checked against the writer's storage quota), run-state changes, actions of any package,
 * other packages' containers, port forwards, gateways, files, the clock, notifications and install
 * progress. The service subsystem implements it; tests implement it with fakes.
 *
 * <p>Thread-safe: effects of one package run concurrently. Methods that call into a runtime ({@link
 * #getActionInput}, {@link #runAction}, {@link #currentInput}) block, and must never be called
 * inside a database transaction.
 */
public interface EffectHost {
  /** The value at {@code path} now, if there is one. */
  <T> Optional<T> read(DbPath<T> path);

  /**
   * Runs {@code change} in one transaction on behalf of {@code packageId}, then checks that
   * package's storage quota in the same transaction: a write that breaks it is refused whole.
   *
   * @return what {@code change} returned
   * @throws dev.hearth.error.StartException (INVALID_REQUEST) if the quota would be exceeded
   */
  <R> R mutateAs(PackageId packageId, Function<Tx, R> change);

  /** A watch on a path, for a callback. */
  Watch watch(JsonPointer path);

  JsonCodec codec();

  InstantSource clock();

  // ---- run state ----------------------------------------------------------------------------

  /** A change of a package's run state an effect may ask for. */
  enum Control {
    /** {@code restart}: desired restarting. */
    RESTART,
    /** {@code shutdown}, or a critical task: desired stopped. */
    STOP,
    /** {@code set-main-status running}: started now. */
    MAIN_STARTED,
    /** {@code set-main-status stopped}. */
    MAIN_STOPPED
  }

  /**
   * @throws dev.hearth.error.StartException (NOT_FOUND) if the package is not installed
   */
  void control(PackageId packageId, Control change);

  /**
   * Stores a health report, unless the package is not running (a late report of the last run), in
   * one transaction checked against the quota.
   */
  void recordHealth(PackageId packageId, String checkId, Health health);

  /** Tears the package's container down and loads it again, in the background. */
  void rebuild(PackageId packageId);

  // ---- actions ------------------------------------------------------------------------------

  /** {@code getInput} of an action: {@code {eventId, spec, value}}, or null without input. */
  JsonNode getActionInput(PackageId packageId, String actionId, @Nullable JsonNode prefill)
      throws InterruptedException;

  /** Runs an action (visibility and allowed statuses checked), then updates tasks on it. */
  JsonNode runAction(PackageId packageId, String actionId, @Nullable JsonNode input)
      throws InterruptedException;

  /** An action's current input value, if it can be read now (§2.8). */
  Optional<JsonNode> currentInput(PackageId packageId, String actionId) throws InterruptedException;

  // ---- other packages -----------------------------------------------------------------------

  /** The ids of installed packages, sorted. */
  List<PackageId> installedIds();

  /** The container address of another package, if its container is running. */
  Optional<Inet4Address> runningIp(PackageId packageId);

  // ---- network ------------------------------------------------------------------------------

  /** An address on which forwarded ports are reachable, and the interface it is on. */
  record Gateway(String name, String ipv4) {}

  List<Gateway> gateways();

  /** The host's address on the container bridge. */
  Inet4Address hostAddress();

  PortForwards forwards();

  /** The port forwards that make bindings reachable on the host. */
  interface PortForwards {
    /**
     * Forwards {@code protocols} to {@code target}, on {@code preferred} if the package may have it
     * and it is free (0: any), else on the port this binding had, else on a free one.
     *
     * @return the external port, the same for every protocol
     */
    int open(
        PackageId packageId,
        String hostId,
        int internalPort,
        int preferred,
        Set<Protocol> protocols,
        InetSocketAddress target);

    /**
     * Forwards a range, TCP and UDP, port by port onto {@code target}'s ports from {@code
     * internalStart}, on exactly the external ports asked for, or refuses.
     */
    void openRange(
        PackageId packageId,
        String hostId,
        int internalStart,
        int externalStart,
        int count,
        Inet4Address target);

    /**
     * Serves TLS with a certificate from the server's Root CA in front of {@code target} for a
     * binding the host terminates TLS for, on {@code preferred} if the package may have it.
     *
     * @return the TLS port, or null when this daemon serves no TLS
     */
    @org.jspecify.annotations.Nullable
    Integer openTls(
        PackageId packageId,
        String hostId,
        int internalPort,
        int preferred,
        InetSocketAddress target,
        boolean forwardedHeaders);

    /** Closes the binding's forward and its TLS port. */
    void close(PackageId packageId, String hostId, int internalPort);

    void closeRange(PackageId packageId, String hostId, int internalStart);
  }

  // ---- files, notifications, progress -------------------------------------------------------

  /** The host-side data-version file of a package. */
  Path dataVersionFile(PackageId packageId);

  /** A volume directory of a package on the host. */
  Path volume(PackageId packageId, String volumeId);

  /** Creates a notification attributed to {@code packageId}, within {@code tx}. */
  void notify(
      Tx tx,
      PackageId packageId,
      NotificationApi.Level level,
      String title,
      String message,
      @Nullable JsonNode data);

  /** While the package is installed or updated: its Installing phase's progress. Else nothing. */
  void showInitProgress(PackageId packageId, JsonNode phaseValue);
}
