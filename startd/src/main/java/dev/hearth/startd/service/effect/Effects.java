package dev.hearth.startd.service.effect;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.hearth.error.ErrorKind;
import dev.hearth.jsonrpc.Empty;
import dev.hearth.jsonrpc.MethodSpec;
import dev.hearth.jsonrpc.RpcTree;
import dev.hearth.startd.service.effect.ActionParams.ClearTasks;
import dev.hearth.startd.service.effect.ActionParams.CreateTask;
import dev.hearth.startd.service.effect.ActionParams.Export;
import dev.hearth.startd.service.effect.ActionParams.GetInput;
import dev.hearth.startd.service.effect.ActionParams.Run;
import dev.hearth.startd.service.effect.NetworkParams.Bind;
import dev.hearth.startd.service.effect.NetworkParams.BindRange;
import dev.hearth.startd.service.effect.NetworkParams.Certificate;
import dev.hearth.startd.service.effect.NetworkParams.ClearBindings;
import dev.hearth.startd.service.effect.NetworkParams.ClearInterfaces;
import dev.hearth.startd.service.effect.NetworkParams.ExportInterface;
import dev.hearth.startd.service.effect.NetworkParams.ExportRangeInterface;
import dev.hearth.startd.service.effect.NetworkParams.HostInfoQuery;
import dev.hearth.startd.service.effect.NetworkParams.InterfaceQuery;
import dev.hearth.startd.service.effect.NetworkParams.PortForward;
import dev.hearth.startd.service.effect.NetworkParams.PortForwardQuery;
import dev.hearth.startd.service.effect.NetworkParams.RegisterUrlPlugin;
import dev.hearth.startd.service.effect.NetworkParams.UrlPluginCall;
import dev.hearth.startd.service.effect.ServiceParams.CheckDependencies;
import dev.hearth.startd.service.effect.ServiceParams.ClearCallbacks;
import dev.hearth.startd.service.effect.ServiceParams.CreateFs;
import dev.hearth.startd.service.effect.ServiceParams.CreateNotification;
import dev.hearth.startd.service.effect.ServiceParams.DependencyCheck;
import dev.hearth.startd.service.effect.ServiceParams.DependencyRequirement;
import dev.hearth.startd.service.effect.ServiceParams.DestroyFs;
import dev.hearth.startd.service.effect.ServiceParams.Echo;
import dev.hearth.startd.service.effect.ServiceParams.Mount;
import dev.hearth.startd.service.effect.ServiceParams.PackageTarget;
import dev.hearth.startd.service.effect.ServiceParams.SetDataVersion;
import dev.hearth.startd.service.effect.ServiceParams.SetDependencies;
import dev.hearth.startd.service.effect.ServiceParams.SetHealth;
import dev.hearth.startd.service.effect.ServiceParams.SetMainStatus;
import dev.hearth.startd.service.effect.ServiceParams.SetProgress;
import dev.hearth.startd.service.effect.ServiceParams.Target;
import dev.hearth.startd.service.effect.ServiceParams.Watched;
import dev.hearth.startd.service.model.Host;
import dev.hearth.startd.service.model.ServiceInterface;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Every effect a package's runtime may call (container-runtime.md §2.7), declared once: its wire
 * name, the record its params deserialize into (whose constructor checks them: the package is
 * untrusted), and its result. {@link #tree} binds each to its handler for one calling package.
 * Unknown keys in params are ignored (§2.5); params that do not fit are refused as {@code
 * DESERIALIZATION}, naming the effect and the field.
 */
public final class Effects {
  private Effects() {}

  private static <P, R> MethodSpec<P, R> effect(String name, Class<P> params, Class<R> result) {
    return MethodSpec.of(name, params, result, "effect " + name);
  }

  private static <P, R> MethodSpec<P, R> effect(
      String name, Class<P> params, TypeReference<R> result) {
    return MethodSpec.of(name, params, result, "effect " + name);
  }

  // ---- actions and tasks --------------------------------------------------------------------
  public static final MethodSpec<Export, Void> ACTION_EXPORT =
      effect("action.export", Export.class, Void.class);
  public static final MethodSpec<ActionParams.Clear, Void> ACTION_CLEAR =
      effect("action.clear", ActionParams.Clear.class, Void.class);
  public static final MethodSpec<GetInput, JsonNode> ACTION_GET_INPUT =
      effect("action.get-input", GetInput.class, JsonNode.class);
  public static final MethodSpec<Run, JsonNode> ACTION_RUN =
      effect("action.run", Run.class, JsonNode.class);
  public static final MethodSpec<CreateTask, Void> ACTION_CREATE_TASK =
      effect("action.create-task", CreateTask.class, Void.class);
  public static final MethodSpec<ClearTasks, Void> ACTION_CLEAR_TASKS =
      effect("action.clear-tasks", ClearTasks.class, Void.class);

  // ---- control, status and callbacks --------------------------------------------------------
  public static final MethodSpec<Empty, Void> RESTART = effect("restart", Empty.class, Void.class);
  public static final MethodSpec<Empty, Void> SHUTDOWN =
      effect("shutdown", Empty.class, Void.class);

  /** The status JSON (lifecycle.md §3.1); another package's without its error's output. */
  public static final MethodSpec<Target, JsonNode> GET_STATUS =
      effect("get-status", Target.class, JsonNode.class);

  public static final MethodSpec<SetMainStatus, Void> SET_MAIN_STATUS =
      effect("set-main-status", SetMainStatus.class, Void.class);
  public static final MethodSpec<ClearCallbacks, Void> CLEAR_CALLBACKS =
      effect("clear-callbacks", ClearCallbacks.class, Void.class);

  // ---- dependencies and other packages ------------------------------------------------------
  public static final MethodSpec<SetDependencies, Void> SET_DEPENDENCIES =
      effect("set-dependencies", SetDependencies.class, Void.class);
  public static final MethodSpec<Empty, List<DependencyRequirement>> GET_DEPENDENCIES =
      effect("get-dependencies", Empty.class, new TypeReference<>() {});
  public static final MethodSpec<CheckDependencies, List<DependencyCheck>> CHECK_DEPENDENCIES =
      effect("check-dependencies", CheckDependencies.class, new TypeReference<>() {});
  public static final MethodSpec<Mount, Void> MOUNT = effect("mount", Mount.class, Void.class);
  public static final MethodSpec<Empty, List<String>> GET_INSTALLED_PACKAGES =
      effect("get-installed-packages", Empty.class, new TypeReference<>() {});

  /** The target's manifest JSON (s9pk.md §11), or null if it is not installed. */
  public static final MethodSpec<PackageTarget, JsonNode> GET_SERVICE_MANIFEST =
      effect("get-service-manifest", PackageTarget.class, JsonNode.class);

  // ---- progress, health, notifications, data version ----------------------------------------
  public static final MethodSpec<SetProgress, Void> SET_INIT_PROGRESS =
      effect("set-init-progress", SetProgress.class, Void.class);
  public static final MethodSpec<SetProgress, Void> SET_BACKUP_PROGRESS =
      effect("set-backup-progress", SetProgress.class, Void.class);
  public static final MethodSpec<SetHealth, Void> SET_HEALTH =
      effect("set-health", SetHealth.class, Void.class);
  public static final MethodSpec<CreateNotification, Void> NOTIFICATION_CREATE =
      effect("notification.create", CreateNotification.class, Void.class);
  public static final MethodSpec<SetDataVersion, Void> SET_DATA_VERSION =
      effect("set-data-version", SetDataVersion.class, Void.class);
  public static final MethodSpec<Empty, String> GET_DATA_VERSION =
      effect("get-data-version", Empty.class, String.class);

  // ---- subcontainers ------------------------------------------------------------------------
  /** {@code [path, guid]}. */
  public static final MethodSpec<CreateFs, List<String>> SUBCONTAINER_CREATE_FS =
      effect("subcontainer.create-fs", CreateFs.class, new TypeReference<>() {});

  public static final MethodSpec<DestroyFs, Void> SUBCONTAINER_DESTROY_FS =
      effect("subcontainer.destroy-fs", DestroyFs.class, Void.class);

  // ---- networking ---------------------------------------------------------------------------
  public static final MethodSpec<Bind, Void> BIND = effect("bind", Bind.class, Void.class);
  public static final MethodSpec<BindRange, Void> BIND_RANGE =
      effect("bind-range", BindRange.class, Void.class);
  public static final MethodSpec<ClearBindings, Void> CLEAR_BINDINGS =
      effect("clear-bindings", ClearBindings.class, Void.class);
  public static final MethodSpec<PortForwardQuery, PortForward> GET_SERVICE_PORT_FORWARD =
      effect("get-service-port-forward", PortForwardQuery.class, PortForward.class);
  public static final MethodSpec<HostInfoQuery, Host> GET_HOST_INFO =
      effect("get-host-info", HostInfoQuery.class, Host.class);
  public static final MethodSpec<Target, String> GET_CONTAINER_IP =
      effect("get-container-ip", Target.class, String.class);
  public static final MethodSpec<Empty, String> GET_OS_IP =
      effect("get-os-ip", Empty.class, String.class);
  public static final MethodSpec<Watched, String> GET_OUTBOUND_GATEWAY =
      effect("get-outbound-gateway", Watched.class, String.class);
  public static final MethodSpec<ExportInterface, Void> EXPORT_SERVICE_INTERFACE =
      effect("export-service-interface", ExportInterface.class, Void.class);
  public static final MethodSpec<ExportRangeInterface, Void> EXPORT_RANGE_SERVICE_INTERFACE =
      effect("export-range-service-interface", ExportRangeInterface.class, Void.class);
  public static final MethodSpec<InterfaceQuery, ServiceInterface> GET_SERVICE_INTERFACE =
      effect("get-service-interface", InterfaceQuery.class, ServiceInterface.class);
  public static final MethodSpec<Target, Map<String, ServiceInterface>> LIST_SERVICE_INTERFACES =
      effect("list-service-interfaces", Target.class, new TypeReference<>() {});
  public static final MethodSpec<ClearInterfaces, Void> CLEAR_SERVICE_INTERFACES =
      effect("clear-service-interfaces", ClearInterfaces.class, Void.class);

  /** The PEM chain, leaf first, as one string. */
  public static final MethodSpec<Certificate, String> GET_SSL_CERTIFICATE =
      effect("get-ssl-certificate", Certificate.class, String.class);

  public static final MethodSpec<Certificate, String> GET_SSL_KEY =
      effect("get-ssl-key", Certificate.class, String.class);

  /** The server's SMTP settings JSON, or null. */
  public static final MethodSpec<Watched, JsonNode> GET_SYSTEM_SMTP =
      effect("get-system-smtp", Watched.class, JsonNode.class);

  public static final MethodSpec<RegisterUrlPlugin, Void> PLUGIN_URL_REGISTER =
      effect("plugin.url.register", RegisterUrlPlugin.class, Void.class);
  public static final MethodSpec<UrlPluginCall, Void> PLUGIN_URL_EXPORT_URL =
      effect("plugin.url.export-url", UrlPluginCall.class, Void.class);
  public static final MethodSpec<UrlPluginCall, Void> PLUGIN_URL_CLEAR_URLS =
      effect("plugin.url.clear-urls", UrlPluginCall.class, Void.class);

  // ---- for the command line only (§4.8): the SDK never sends these --------------------------
  public static final MethodSpec<Empty, Void> REBUILD = effect("rebuild", Empty.class, Void.class);
  public static final MethodSpec<Echo, String> ECHO = effect("echo", Echo.class, String.class);
  public static final MethodSpec<Empty, Void> GIT_INFO =
      effect("git-info", Empty.class, Void.class);

  /** The 44 effects the SDK sends, in the order of §2.7. */
  public static final List<MethodSpec<?, ?>> SDK =
      List.of(
          ACTION_EXPORT,
          ACTION_CLEAR,
          ACTION_GET_INPUT,
          ACTION_RUN,
          ACTION_CREATE_TASK,
          ACTION_CLEAR_TASKS,
          RESTART,
          SHUTDOWN,
          GET_STATUS,
          SET_MAIN_STATUS,
          CLEAR_CALLBACKS,
          SET_DEPENDENCIES,
          GET_DEPENDENCIES,
          CHECK_DEPENDENCIES,
          MOUNT,
          GET_INSTALLED_PACKAGES,
          GET_SERVICE_MANIFEST,
          SET_INIT_PROGRESS,
          SET_BACKUP_PROGRESS,
          SET_HEALTH,
          NOTIFICATION_CREATE,
          SET_DATA_VERSION,
          GET_DATA_VERSION,
          SUBCONTAINER_CREATE_FS,
          SUBCONTAINER_DESTROY_FS,
          BIND,
          BIND_RANGE,
          CLEAR_BINDINGS,
          GET_SERVICE_PORT_FORWARD,
          GET_HOST_INFO,
          GET_CONTAINER_IP,
          GET_OS_IP,
          GET_OUTBOUND_GATEWAY,
          EXPORT_SERVICE_INTERFACE,
          EXPORT_RANGE_SERVICE_INTERFACE,
          GET_SERVICE_INTERFACE,
          LIST_SERVICE_INTERFACES,
          CLEAR_SERVICE_INTERFACES,
          GET_SSL_CERTIFICATE,
          GET_SSL_KEY,
          GET_SYSTEM_SMTP,
          PLUGIN_URL_REGISTER,
          PLUGIN_URL_EXPORT_URL,
          PLUGIN_URL_CLEAR_URLS);

  /** Every effect the host answers: the SDK's and the command line's. */
  public static final List<MethodSpec<?, ?>> ALL =
      Stream.concat(SDK.stream(), Stream.of(REBUILD, ECHO, GIT_INFO)).toList();

  /** The wire names of {@link #SDK}. */
  public static List<String> sdkNames() {
    return SDK.stream().map(MethodSpec::name).toList();
  }

  /**
   * The params reader for effects: the daemon's mapper, but unknown keys ignored (§2.5) and no
   * coercion of one JSON type into another ({@code "80"} is not a port, {@code 1.5} not a count).
   */
  public static ObjectMapper paramsMapper(ObjectMapper base) {
    ObjectMapper m = base.copy().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    m.disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);
    if (m instanceof JsonMapper) {
      m.configure(MapperFeature.ALLOW_COERCION_OF_SCALARS, false);
    }
    return m;
  }

  /**
   * The effects one package may call, each bound to its handler for that package.
   *
   * @param params the mapper of {@link #paramsMapper}, made once and shared by every package's
   *     tree: a mapper caches the deserializers it builds, so one per package cost each running
   *     package about 2.5 MiB of the daemon's memory
   * @throws IllegalStateException if an effect has no handler (a programming error)
   */
  public static RpcTree tree(ObjectMapper params, EffectHost host, CallingService self) {
    var tree = RpcTree.builder(params).badParamsAs(ErrorKind.DESERIALIZATION);
    new ActionEffects(host, self).bind(tree);
    new StatusEffects(host, self).bind(tree);
    new DependencyEffects(host, self).bind(tree);
    new ContainerEffects(host, self).bind(tree);
    NetworkEffects network = new NetworkEffects(host, self);
    network.bind(tree);
    new TrustEffects(host, self).bind(tree);
    RpcTree built = tree.build();
    List<String> missing =
        ALL.stream().map(MethodSpec::name).filter(n -> built.spec(n).isEmpty()).toList();
    if (!missing.isEmpty() || built.specs().size() != ALL.size()) {
      throw new IllegalStateException("effects without a handler: " + missing);
    }
    return built;
  }
}
