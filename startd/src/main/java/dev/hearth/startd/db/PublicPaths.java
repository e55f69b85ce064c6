package dev.hearth.startd.db;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import dev.hearth.patchdb.DbPath;
import dev.hearth.patchdb.json.JsonPointer;
import java.util.Map;

/** Every path into {@code /public}, with its type. */
public final class PublicPaths {
  private PublicPaths() {}

  public static final JsonPointer ROOT = JsonPointer.of("public");

  public static final DbPath<ServerInfo> SERVER_INFO =
      DbPath.of(ROOT.child("serverInfo"), ServerInfo.class);

  public static final DbPath<String> SERVER_NAME = SERVER_INFO.child("name", String.class);

  public static final DbPath<String> HOSTNAME = SERVER_INFO.child("hostname", String.class);

  public static final DbPath<Long> UNREAD_NOTIFICATIONS =
      SERVER_INFO.child("unreadNotificationCount", Long.class);

  public static final DbPath<ServerInfo.StatusInfo> SERVER_STATUS =
      SERVER_INFO.child("statusInfo", ServerInfo.StatusInfo.class);

  /** The server's SMTP settings ({@code SmtpValue}, kept as JSON until the SMTP subsystem). */
  public static final DbPath<JsonNode> SMTP = SERVER_INFO.child("smtp", JsonNode.class);

  public static final DbPath<String> LANGUAGE = SERVER_INFO.child("language", String.class);

  public static final DbPath<Map<String, JsonNode>> PACKAGE_DATA =
      DbPath.of(ROOT.child("packageData"), new TypeReference<>() {});

  /**
   * Notifications, keyed by their decimal id. Upstream keeps them private and shows only a count;
   * here they are public, so a client sees each one arrive live.
   */
  public static final JsonPointer NOTIFICATIONS = ROOT.child("notifications");

  public static final JsonPointer UI = ROOT.child("ui");

  /** The Marketplace: the registries browsed, registry installs in progress. */
  public static final DbPath<dev.hearth.api.MarketplaceApi.Model> MARKETPLACE =
      DbPath.of(ROOT.child("marketplace"), dev.hearth.api.MarketplaceApi.Model.class);

  public static final DbPath<Map<String, dev.hearth.api.MarketplaceApi.Registry>> REGISTRIES =
      DbPath.of(ROOT.child("marketplace").child("registries"), new TypeReference<>() {});

  public static DbPath<dev.hearth.api.MarketplaceApi.Registry> registry(String url) {
    return DbPath.of(
        ROOT.child("marketplace").child("registries").child(url),
        dev.hearth.api.MarketplaceApi.Registry.class);
  }

  public static final DbPath<Map<String, dev.hearth.api.MarketplaceApi.PendingInstall>>
      MARKETPLACE_INSTALLS =
          DbPath.of(ROOT.child("marketplace").child("installs"), new TypeReference<>() {});

  public static DbPath<dev.hearth.api.MarketplaceApi.PendingInstall> pendingInstall(String id) {
    return DbPath.of(
        ROOT.child("marketplace").child("installs").child(id),
        dev.hearth.api.MarketplaceApi.PendingInstall.class);
  }
}
