package dev.hearth.startd.net;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hearth.api.NetApi;
import dev.hearth.error.ErrorKind;
import dev.hearth.error.StartException;
import dev.hearth.jsonrpc.RpcTree;
import dev.hearth.startd.db.Database;
import dev.hearth.startd.service.model.Host;
import dev.hearth.startd.service.model.HostnameInfo;
import dev.hearth.startd.service.model.PackageId;
import dev.hearth.startd.service.model.PackagePaths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Binds {@code net.gateway.*}, {@code package.host.*} and {@code server.host.*}. */
public final class NetRpc {
  private final Net net;
  private final Database db;
  private final ObjectMapper mapper;

  public NetRpc(Net net, Database db, ObjectMapper mapper) {
    this.net = net;
    this.db = db;
    this.mapper = mapper;
  }

  public void bind(RpcTree.Builder tree) {
    tree.bind(NetApi.GATEWAY_LIST, (ctx, p) -> json(net.gateways()))
        .bind(
            NetApi.GATEWAY_SET_NAME,
            (ctx, p) -> {
              net.setGatewayName(p.id(), p.name());
              return null;
            })
        .bind(NetApi.PACKAGE_HOST_LIST, (ctx, p) -> List.copyOf(hosts(p.pkg()).keySet()))
        .bind(NetApi.PACKAGE_BINDING_LIST, (ctx, p) -> json(host(p).bindings()))
        .bind(NetApi.PACKAGE_ADDRESS_LIST, (ctx, p) -> addresses(host(p)))
        .bind(
            NetApi.PACKAGE_SET_ADDRESS_ENABLED,
            (ctx, p) -> {
              if (p.pkg() == null || p.host() == null) {
                throw new StartException(ErrorKind.INVALID_REQUEST, "give package and host");
              }
              net.setAddressEnabled(
                  PackageId.of(p.pkg()), p.host(), p.internalPort(), address(p.address()), p.on());
              return null;
            })
        .bind(NetApi.SERVER_BINDING_LIST, (ctx, p) -> json(serverHost().bindings()))
        .bind(NetApi.SERVER_ADDRESS_LIST, (ctx, p) -> addresses(serverHost()))
        .bind(
            NetApi.SERVER_SET_ADDRESS_ENABLED,
            (ctx, p) -> {
              net.setAddressEnabled(null, null, p.internalPort(), address(p.address()), p.on());
              return null;
            });
  }

  private Map<String, Host> hosts(String pkg) {
    PackageId id = PackageId.of(pkg);
    return db.snapshot()
        .get(PackagePaths.hosts(id))
        .orElseThrow(() -> new StartException(ErrorKind.NOT_FOUND, "no package " + pkg));
  }

  private Host host(NetApi.HostParams p) {
    Host h = hosts(p.pkg()).get(p.host());
    if (h == null) {
      throw new StartException(ErrorKind.NOT_FOUND, p.pkg() + " has no host " + p.host());
    }
    return h;
  }

  private Host serverHost() {
    return db.snapshot().get(NetPaths.SERVER_HOST).orElse(Host.empty());
  }

  private Map<String, List<NetApi.Address>> addresses(Host h) {
    Map<String, List<NetApi.Address>> out = new LinkedHashMap<>();
    h.bindings()
        .forEach((port, b) -> {
          List<NetApi.Address> list = new ArrayList<>();
          for (HostnameInfo info : b.addresses().available()) {
            list.add(
                new NetApi.Address(
                    mapper.valueToTree(info), AddressToggles.isEnabled(b.addresses(), info)));
          }
          out.put(String.valueOf(port), list);
        });
    return out;
  }

  private HostnameInfo address(JsonNode json) {
    try {
      return mapper.treeToValue(json, HostnameInfo.class);
    } catch (com.fasterxml.jackson.core.JsonProcessingException | IllegalArgumentException e) {
      throw new StartException(
          ErrorKind.INVALID_REQUEST, "address is not a HostnameInfo: " + e.getMessage());
    }
  }

  private <T> Map<String, JsonNode> json(Map<?, T> values) {
    Map<String, JsonNode> out = new LinkedHashMap<>();
    values.forEach((k, v) -> out.put(String.valueOf(k), mapper.valueToTree(v)));
    return out;
  }
}
