package dev.hearth.startd.setup;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hearth.patchdb.json.Json;
import dev.hearth.patchdb.json.JsonCodec;
import dev.hearth.startd.cert.LocalCa;
import dev.hearth.startd.db.LocalCerts;
import dev.hearth.startd.db.Migrations;
import dev.hearth.startd.db.ServerInfo;
import dev.hearth.startd.system.Hostnames;
import dev.hearth.startd.system.OsRelease;
import java.util.List;
import java.util.Map;

/**
 * The first database of a freshly set-up server (patchdb.md §7): the public model clients see and
 * the private model of secrets. Built whole, written in one transaction.
 */
final class InitialModel {
  private InitialModel() {}

  /** Keys and identity made during setup. */
  record Secrets(
      String serverId,
      String passwordHash,
      LocalCerts certs,
      String developerKeyPem,
      String developerPublicKeyPem,
      String sshPrivateKeyPem) {
    @Override
    public String toString() {
      return "Secrets[" + serverId + ", <redacted>]";
    }
  }

  static Json publicModel(
      Hostnames.Names names,
      Secrets secrets,
      long ram,
      List<JsonNode> devices,
      String language,
      dev.hearth.api.MarketplaceApi.Model marketplace,
      JsonCodec codec) {
    ObjectMapper mapper = codec.mapper();
    var info =
        new ServerInfo(
            secrets.serverId(),
            names.name(),
            names.hostname(),
            OsRelease.VERSION,
            OsRelease.COMPAT,
            Map.of(),
            null,
            network(mapper),
            ServerInfo.StatusInfo.IDLE,
            0,
            secrets.developerPublicKeyPem(),
            LocalCa.fingerprint(secrets.certs().rootCert()),
            false,
            false,
            null,
            null,
            List.of(),
            ram,
            devices,
            null,
            language,
            null);
    ObjectNode ui = mapper.createObjectNode();
    ui.putObject("registries");
    ui.put("startosRegistry", "");
    ui.put("snakeHighScore", 0);
    ui.putObject("hiddenUpdates");
    ObjectNode model = mapper.createObjectNode();
    model.set("serverInfo", mapper.valueToTree(info));
    model.putObject("packageData");
    model.putObject("notifications");
    model.set("ui", ui);
    model.set("marketplace", mapper.valueToTree(marketplace));
    return codec.toJson(model);
  }

  static Json privateModel(Secrets secrets, JsonCodec codec) {
    ObjectMapper mapper = codec.mapper();
    ObjectNode model = mapper.createObjectNode();
    model.put("schemaVersion", Migrations.CURRENT);
    ObjectNode keyStore = model.putObject("keyStore");
    keyStore.set("localCerts", mapper.valueToTree(secrets.certs()));
    keyStore.putObject("acme");
    model.put("password", secrets.passwordHash());
    model.putArray("authPubkeys").add(secrets.developerPublicKeyPem());
    model.put("developerKey", secrets.developerKeyPem());
    model.put("sshPrivkey", secrets.sshPrivateKeyPem());
    model.putObject("sshPubkeys");
    ObjectNode ports = model.putObject("availablePorts");
    ports.put("80", false);
    ports.put("443", true);
    model.putObject("sessions");
    model.putObject("cifs");
    model.putObject("packageStores");
    model.putObject("packages");
    return codec.toJson(model);
  }

  /** The network part of serverInfo, empty until the networking work fills it in. */
  private static JsonNode network(ObjectMapper mapper) {
    ObjectNode n = mapper.createObjectNode();
    ObjectNode wifi = n.putObject("wifi");
    wifi.put("enabled", false);
    wifi.putNull("interface");
    wifi.putArray("ssids");
    wifi.putNull("selected");
    wifi.putNull("lastRegion");
    ObjectNode host = n.putObject("host");
    host.putObject("bindings");
    host.putObject("bindingRanges");
    host.putObject("publicDomains");
    host.putObject("privateDomains");
    host.putArray("portForwards");
    n.putObject("gateways");
    n.putObject("acme");
    ObjectNode dns = n.putObject("dns");
    dns.putArray("dhcpServers");
    dns.putNull("staticServers");
    n.putNull("defaultOutbound");
    n.putArray("passthroughs");
    return n;
  }
}
