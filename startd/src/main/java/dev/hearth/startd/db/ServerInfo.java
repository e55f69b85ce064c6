package dev.hearth.startd.db;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * {@code /public/serverInfo} (patchdb.md §7.1), minus upstream's public copy of the password hash,
 * which lives only in the private model here. Parts owned by later subsystems (network, SMTP,
 * keyboard) are kept as JSON until those subsystems type them.
 */
public record ServerInfo(
    String id,
    String name,
    String hostname,
    String version,
    String packageVersionCompat,
    Map<String, JsonNode> postInitMigrationTodos,
    @Nullable String lastBackup,
    JsonNode network,
    StatusInfo statusInfo,
    long unreadNotificationCount,
    String pubkey,
    String caFingerprint,
    boolean ntpSynced,
    boolean zram,
    @Nullable String governor,
    @Nullable JsonNode smtp,
    List<String> echoipUrls,
    long ram,
    List<JsonNode> devices,
    @Nullable Boolean kiosk,
    @Nullable String language,
    @Nullable JsonNode keyboard) {

  /** {@code serverInfo.statusInfo}: progress of server-wide jobs and pending power actions. */
  public record StatusInfo(
      @Nullable JsonNode backupProgress,
      @Nullable JsonNode updateProgress,
      boolean shuttingDown,
      boolean restarting,
      @Nullable String restart) {
    public static final StatusInfo IDLE = new StatusInfo(null, null, false, false, null);
  }
}
