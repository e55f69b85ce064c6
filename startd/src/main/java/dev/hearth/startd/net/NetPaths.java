package dev.hearth.startd.net;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.hearth.patchdb.DbPath;
import dev.hearth.startd.db.PublicPaths;
import dev.hearth.startd.service.model.Host;
import java.util.Map;

/** Every path into {@code serverInfo.network} this subsystem reads or writes, with its type. */
public final class NetPaths {
  private NetPaths() {}

  private static final dev.hearth.patchdb.json.JsonPointer NETWORK =
      PublicPaths.SERVER_INFO.pointer().child("network");

  /** The gateways, by interface name. */
  public static final DbPath<Map<String, GatewayInfo>> GATEWAYS =
      DbPath.of(NETWORK.child("gateways"), new TypeReference<>() {});

  /** The host of the server's own UI, shaped as a package's host. */
  public static final DbPath<Host> SERVER_HOST = DbPath.of(NETWORK.child("host"), Host.class);
}
