package dev.hearth.startd.db;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hearth.api.MarketplaceApi;
import dev.hearth.api.NotificationApi;
import java.util.Map;

/**
 * The whole of {@code /public}: what a change made through {@code db.apply} or {@code db.put} must
 * still deserialize as, with no unknown keys (rpc.md §4.7: "the result must still deserialize as
 * the DB model").
 */
public record PublicModel(
    ServerInfo serverInfo,
    Map<String, JsonNode> packageData,
    Map<String, NotificationApi.Notification> notifications,
    JsonNode ui,
    MarketplaceApi.Model marketplace) {}
