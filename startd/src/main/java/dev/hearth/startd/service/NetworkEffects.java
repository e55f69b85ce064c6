package dev.hearth.startd.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hearth.error.ErrorKind;
import dev.hearth.error.StartException;
import dev.hearth.jsonrpc.RpcTree;
import dev.hearth.startd.cert.LocalCa;
import dev.hearth.startd.db.LocalCerts;
import dev.hearth.startd.db.PrivatePaths;
import dev.hearth.startd.service.model.PackageId;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The networking effects (container-runtime.md §2.7): bindings become port forwards on the host,
 * and each binding's {@code addresses.available} lists where it can be reached, which is what the
 * SDK builds URLs from. TLS vhosts, domains and Tor come with the networking subsystem; until then
 * every binding is plain TCP forwarded on the host's LAN addresses.
 */
final class NetworkEffects {
  static final int MAX_RANGE = 500;

  private final Services services;
  private final LoadedService self;
  private final String id;

  NetworkEffects(Services services, LoadedService self) {
    this.services = services;
    this.self = self;
    this.id = self.packageId;
  }

  void bind(RpcTree.Builder tree) {
    ServiceEffects.bind(tree, services.ctx.mapper(), "bind", this::bindPort);
    ServiceEffects.bind(tree, services.ctx.mapper(), "bind-range", this::bindRange);
    ServiceEffects.bind(tree, services.ctx.mapper(), "clear-bindings", this::clearBindings);
    ServiceEffects.bind(tree, services.ctx.mapper(), "get-service-port-forward", this::portForward);
    ServiceEffects.bind(tree, services.ctx.mapper(), "get-host-info", this::hostInfo);
    ServiceEffects.bind(tree, services.ctx.mapper(), "get-container-ip", this::containerIp);
    ServiceEffects.bind(
        tree,
        services.ctx.mapper(),
        "get-os-ip",
        p -> services.sandboxes.hostAddress().getHostAddress());
    ServiceEffects.bind(
        tree, services.ctx.mapper(), "get-outbound-gateway", p -> outboundGateway());
    ServiceEffects.bind(
        tree, services.ctx.mapper(), "export-service-interface", this::exportInterface);
    ServiceEffects.bind(
        tree, services.ctx.mapper(), "export-range-service-interface", this::exportRangeInterface);
    ServiceEffects.bind(tree, services.ctx.mapper(), "get-service-interface", this::getInterface);
    ServiceEffects.bind(
        tree, services.ctx.mapper(), "list-service-interfaces", this::listInterfaces);
    ServiceEffects.bind(
        tree, services.ctx.mapper(), "clear-service-interfaces", this::clearInterfaces);
    ServiceEffects.bind(
        tree, services.ctx.mapper(), "get-ssl-certificate", p -> certificate(p).chainPem());
    ServiceEffects.bind(tree, services.ctx.mapper(), "get-ssl-key", p -> certificate(p).keyPem());
    ServiceEffects.bind(
        tree, services.ctx.mapper(), "plugin.url.register", this::registerUrlPlugin);
    ServiceEffects.bind(tree, services.ctx.mapper(), "plugin.url.export-url", this::pluginCheck);
    ServiceEffects.bind(tree, services.ctx.mapper(), "plugin.url.clear-urls", this::pluginCheck);
    ServiceEffects.bind(tree, services.ctx.mapper(), "get-system-smtp", this::smtp);
  }

  private Map<String, JsonNode> hosts() {
    return new LinkedHashMap<>(
        services.ctx.db().snapshot().get(PackagePaths.hosts(id)).orElse(Map.of()));
  }

  private ObjectNode host(Map<String, JsonNode> hosts, String hostId) {
    JsonNode h = hosts.get(hostId);
    ObjectNode host;
    if (h instanceof ObjectNode o) {
      host = o.deepCopy();
    } else {
      host = services.ctx.mapper().createObjectNode();
      host.putObject("bindings");
      host.putObject("bindingRanges");
      host.putObject("publicDomains");
      host.putObject("privateDomains");
      host.putArray("portForwards");
    }
    hosts.put(hostId, host);
    return host;
  }

  private void saveHosts(Map<String, JsonNode> hosts) {
    services.mutateAs(PackageId.of(id), tx -> tx.put(PackagePaths.hosts(id), hosts));
  }

  private @Nullable Object bindPort(Params p) {
    String hostId = p.id("id");
    int internal = p.port("internalPort");
    Integer preferred = p.optPort("preferredExternalPort");
    int external =
        services
            .forwards()
            .open(
                id,
                hostId,
                internal,
                preferred == null ? 0 : preferred,
                new InetSocketAddress(self.sandbox.ip(), internal));
    Map<String, JsonNode> hosts = hosts();
    ObjectNode host = host(hosts, hostId);
    ObjectNode bindings = (ObjectNode) host.get("bindings");
    JsonNode old = bindings.get(Integer.toString(internal));
    ObjectNode binding = services.ctx.mapper().createObjectNode();
    binding.put("enabled", true);
    ObjectNode options = binding.putObject("options");
    options.put("preferredExternalPort", preferred == null ? internal : preferred);
    options.set(
        "addSsl",
        p.raw().path("addSsl").isObject()
            ? p.raw().get("addSsl")
            : services.ctx.mapper().nullNode());
    options.set(
        "secure",
        p.raw().path("secure").isObject()
            ? p.raw().get("secure")
            : services.ctx.mapper().nullNode());
    ObjectNode net = binding.putObject("net");
    net.put("assignedPort", external);
    net.putNull("assignedSslPort"); // TLS termination comes with the networking subsystem
    binding.set("addresses", addresses(external));
    binding.set(
        "interfaces",
        old != null && old.has("interfaces")
            ? old.get("interfaces")
            : services.ctx.mapper().createObjectNode());
    bindings.set(Integer.toString(internal), binding);
    saveHosts(hosts);
    return null;
  }

  /** Where a forwarded port can be reached: each gateway address of the host. */
  private ObjectNode addresses(int port) {
    ObjectNode a = services.ctx.mapper().createObjectNode();
    ArrayNode enabled = a.putArray("enabled");
    a.putArray("disabled");
    a.putObject("guaAccess");
    ArrayNode available = a.putArray("available");
    for (Sandboxes.Gateway g : services.sandboxes.gateways()) {
      enabled.add(g.ipv4() + ":" + port);
      ObjectNode info = available.addObject();
      info.put("ssl", false);
      info.put("public", false);
      info.put("hostname", g.ipv4());
      info.put("port", port);
      ObjectNode meta = info.putObject("metadata");
      meta.put("kind", "ipv4");
      meta.put("gateway", g.name());
    }
    return a;
  }

  private @Nullable Object bindRange(Params p) {
    String hostId = p.id("id");
    int start = p.port("internalStartPort");
    int externalStart = p.port("externalStartPort");
    JsonNode countNode = p.raw().get("numberOfPorts");
    if (countNode == null || !countNode.isIntegralNumber()) {
      throw p.bad("numberOfPorts must be a number");
    }
    int count = countNode.asInt();
    if (count < 2
        || count > MAX_RANGE
        || start + count - 1 > 65535
        || externalStart + count - 1 > 65535) {
      throw p.bad("a range has 2 to " + MAX_RANGE + " ports within 1-65535");
    }
    Map<String, JsonNode> hosts = hosts();
    for (JsonNode h : hosts.values()) {
      for (JsonNode r : h.path("bindingRanges")) {
        int s = r.path("externalStartPort").asInt();
        int n = r.path("numberOfPorts").asInt();
        if (externalStart < s + n && s < externalStart + count) {
          throw new StartException(
              ErrorKind.INVALID_REQUEST, "the port range overlaps one already taken");
        }
      }
    }
    for (int i = 0; i < count; i++) {
      services
          .forwards()
          .openExactly(
              id,
              hostId + "#range",
              start + i,
              externalStart + i,
              new InetSocketAddress(self.sandbox.ip(), start + i));
    }
    ObjectNode host = host(hosts, hostId);
    ObjectNode range = ((ObjectNode) host.get("bindingRanges")).putObject(Integer.toString(start));
    range.put("internalStartPort", start);
    range.put("externalStartPort", externalStart);
    range.put("numberOfPorts", count);
    range.putNull("interface");
    saveHosts(hosts);
    return null;
  }

  private @Nullable Object clearBindings(Params p) {
    JsonNode except = p.raw().path("except");
    Set<String> keep = new java.util.HashSet<>();
    for (JsonNode e : except) {
      keep.add(e.path("id").asText() + ":" + e.path("internalPort").asInt());
    }
    Map<String, JsonNode> hosts = hosts();
    for (var h : hosts.entrySet()) {
      ObjectNode host = ((ObjectNode) h.getValue()).deepCopy();
      ObjectNode bindings = (ObjectNode) host.path("bindings");
      for (String port : List.copyOf(iterable(bindings.fieldNames()))) {
        if (!keep.contains(h.getKey() + ":" + port)) {
          bindings.remove(port);
          services.forwards().close(id, h.getKey(), Integer.parseInt(port));
        }
      }
      h.setValue(host);
    }
    saveHosts(hosts);
    return null;
  }

  private static List<String> iterable(java.util.Iterator<String> it) {
    List<String> out = new ArrayList<>();
    it.forEachRemaining(out::add);
    return out;
  }

  private Object portForward(Params p) {
    String target = p.packageId("packageId", id);
    String hostId = p.id("hostId");
    int internal = p.port("internalPort");
    JsonNode net =
        services
            .ctx
            .db()
            .snapshot()
            .get(PackagePaths.hosts(target))
            .orElse(Map.of())
            .getOrDefault(hostId, services.ctx.mapper().createObjectNode())
            .path("bindings")
            .path(Integer.toString(internal))
            .path("net");
    ObjectNode out = services.ctx.mapper().createObjectNode();
    out.set(
        "assignedPort",
        net.path("assignedPort").isNumber()
            ? net.get("assignedPort")
            : services.ctx.mapper().nullNode());
    out.set(
        "assignedSslPort",
        net.path("assignedSslPort").isNumber()
            ? net.get("assignedSslPort")
            : services.ctx.mapper().nullNode());
    return out;
  }

  private @Nullable Object hostInfo(Params p) {
    String target = p.packageId("packageId", id);
    String hostId = p.id("hostId");
    ServiceEffects.watch(
        self, services, p.callback(), PackagePaths.hosts(target).pointer().child(hostId));
    return services
        .ctx
        .db()
        .snapshot()
        .get(PackagePaths.hosts(target))
        .orElse(Map.of())
        .get(hostId);
  }

  private @Nullable Object containerIp(Params p) {
    String target = p.packageId("packageId", id);
    if (target.equals(id)) {
      return self.sandbox.ip().getHostAddress();
    }
    return services
        .loadedService(PackageId.of(target))
        .filter(l -> l.sandbox.isRunning())
        .map(l -> l.sandbox.ip().getHostAddress())
        .orElse(null);
  }

  private String outboundGateway() {
    List<Sandboxes.Gateway> gateways = services.sandboxes.gateways();
    return gateways.isEmpty() ? "lo" : gateways.getFirst().name();
  }

  private @Nullable Object exportInterface(Params p) {
    String interfaceId = p.id("id");
    Params info = new Params(p.object("addressInfo"), "export-service-interface addressInfo");
    String hostId = info.id("hostId");
    int internal = info.port("internalPort");
    String type = p.oneOf("type", "ui", "p2p", "api");
    Map<String, JsonNode> hosts = hosts();
    JsonNode binding =
        hosts
            .getOrDefault(hostId, services.ctx.mapper().createObjectNode())
            .path("bindings")
            .path(Integer.toString(internal));
    if (!binding.isObject()) {
      throw new StartException(
          ErrorKind.NOT_FOUND,
          "bind " + hostId + ":" + internal + " before exporting an interface on it");
    }
    ObjectNode iface = services.ctx.mapper().createObjectNode();
    iface.put("id", interfaceId);
    iface.put("name", p.string("name"));
    iface.put("description", p.optString("description") == null ? "" : p.optString("description"));
    iface.put("masked", p.bool("masked", false));
    iface.set("addressInfo", p.raw().get("addressInfo"));
    iface.put("type", type);
    ObjectNode host = host(hosts, hostId);
    ((ObjectNode) host.path("bindings").path(Integer.toString(internal)).path("interfaces"))
        .set(interfaceId, iface);
    saveHosts(hosts);
    return null;
  }

  private @Nullable Object exportRangeInterface(Params p) {
    String hostId = p.id("hostId");
    int start = p.port("internalStartPort");
    Map<String, JsonNode> hosts = hosts();
    ObjectNode host = host(hosts, hostId);
    JsonNode range = host.path("bindingRanges").path(Integer.toString(start));
    if (!(range instanceof ObjectNode r)) {
      throw new StartException(ErrorKind.NOT_FOUND, "no port range at " + hostId + ":" + start);
    }
    ObjectNode iface = r.putObject("interface");
    iface.put("id", p.id("id"));
    iface.put("name", p.string("name"));
    iface.put("description", p.optString("description") == null ? "" : p.optString("description"));
    iface.set(
        "scheme",
        p.raw().path("scheme").isTextual()
            ? p.raw().get("scheme")
            : services.ctx.mapper().nullNode());
    saveHosts(hosts);
    return null;
  }

  /** Every interface of a package, keyed by id, found in its hosts' bindings and ranges. */
  private Map<String, JsonNode> interfaces(String target) {
    Map<String, JsonNode> out = new LinkedHashMap<>();
    for (JsonNode host :
        services.ctx.db().snapshot().get(PackagePaths.hosts(target)).orElse(Map.of()).values()) {
      for (JsonNode b : host.path("bindings")) {
        b.path("interfaces").fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue()));
      }
    }
    return out;
  }

  private @Nullable Object getInterface(Params p) {
    String target = p.packageId("packageId", id);
    String interfaceId = p.id("serviceInterfaceId");
    ServiceEffects.watch(self, services, p.callback(), PackagePaths.hosts(target).pointer());
    return interfaces(target).get(interfaceId);
  }

  private Object listInterfaces(Params p) {
    String target = p.packageId("packageId", id);
    ServiceEffects.watch(self, services, p.callback(), PackagePaths.hosts(target).pointer());
    return interfaces(target);
  }

  private @Nullable Object clearInterfaces(Params p) {
    List<String> keep = p.strings("except");
    Map<String, JsonNode> hosts = hosts();
    for (var h : hosts.entrySet()) {
      ObjectNode host = ((ObjectNode) h.getValue()).deepCopy();
      for (JsonNode b : host.path("bindings")) {
        if (b.path("interfaces") instanceof ObjectNode ifaces) {
          ifaces.retain(keep);
        }
      }
      for (JsonNode r : host.path("bindingRanges")) {
        if (r instanceof ObjectNode range
            && range.path("interface").isObject()
            && !keep.contains(range.path("interface").path("id").asText())) {
          range.putNull("interface");
        }
      }
      h.setValue(host);
    }
    saveHosts(hosts);
    return null;
  }

  /**
   * A certificate from the local CA, only for names that are the package's own: {@code
   * <id>.startos} or {@code .embassy} and its container's address. Not the host's addresses
   * (loopback, the bridge, the LAN), which upstream allows: a certificate the admin's browser
   * trusts for those would let a package pass for the server itself (issue 10). A service reached
   * on the host's addresses gets TLS from the server's proxy instead.
   */
  private LocalCa.Issued certificate(Params p) {
    List<String> names = p.strings("hostnames");
    if (names.isEmpty()) {
      throw p.bad("give at least one hostname");
    }
    Set<String> allowed = new java.util.HashSet<>();
    allowed.add(id + ".startos");
    allowed.add(id + ".embassy");
    allowed.add(self.sandbox.ip().getHostAddress());
    for (String n : names) {
      if (!allowed.contains(n)) {
        throw new StartException(ErrorKind.NOT_FOUND, id + " may not have a certificate for " + n);
      }
    }
    LocalCerts certs =
        services
            .ctx
            .db()
            .snapshot()
            .get(PrivatePaths.LOCAL_CERTS)
            .orElseThrow(
                () -> new StartException(ErrorKind.UNINITIALIZED, "the server has no CA yet"));
    synchronized (this) {
      if (issued == null || !issuedFor.equals(names)) {
        issued = LocalCa.issue(certs, names, new SecureRandom(), services.ctx.clock().instant());
        issuedFor = List.copyOf(names);
      }
      return issued;
    }
  }

  private LocalCa.@Nullable Issued issued;
  private List<String> issuedFor = List.of();

  private @Nullable Object registerUrlPlugin(Params p) {
    pluginCheck(p);
    JsonNode action = p.raw().get("tableAction");
    services.mutateAs(
        PackageId.of(id),
        tx -> {
          ObjectNode plugin = services.ctx.mapper().createObjectNode();
          ObjectNode url = plugin.putObject("url");
          url.set("tableAction", action == null ? services.ctx.mapper().nullNode() : action);
          tx.put(PackagePaths.entry(id).child("plugin"), tx.codec().toJson(plugin));
        });
    return null;
  }

  /** URL plugin effects are for packages that declare the {@code url} plugin. */
  private @Nullable Object pluginCheck(Params p) {
    if (!self.pkg.manifest().plugins().contains("url")) {
      throw new StartException(ErrorKind.AUTHORIZATION, id + " does not declare the url plugin");
    }
    return null;
  }

  private @Nullable Object smtp(Params p) {
    JsonNode smtp =
        services
            .ctx
            .db()
            .codec()
            .fromJson(
                services
                    .ctx
                    .db()
                    .snapshot()
                    .root()
                    .atOrNull(dev.hearth.startd.db.PublicPaths.SERVER_INFO.pointer().child("smtp")),
                com.fasterxml.jackson.databind.type.TypeFactory.defaultInstance()
                    .constructType(JsonNode.class));
    ServiceEffects.watch(
        self,
        services,
        p.callback(),
        dev.hearth.startd.db.PublicPaths.SERVER_INFO.pointer().child("smtp"));
    return smtp == null || smtp.isNull() ? null : smtp;
  }
}
