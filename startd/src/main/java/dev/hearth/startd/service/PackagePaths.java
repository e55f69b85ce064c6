package dev.hearth.startd.service;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hearth.patchdb.DbPath;
import dev.hearth.patchdb.json.JsonPointer;
import dev.hearth.startd.db.PackageHost;
import dev.hearth.startd.db.PrivatePaths;
import dev.hearth.startd.db.PublicPaths;
import dev.hearth.startd.service.model.ActionMetadata;
import dev.hearth.startd.service.model.CurrentDependency;
import dev.hearth.startd.service.model.Host;
import dev.hearth.startd.service.model.Plugin;
import dev.hearth.startd.service.model.TaskEntry;
import java.util.Map;

/**
 * Where each part of a package's entry lives in {@code /public/packageData/<id>} (patchdb.md §7.1),
 * with its type. Public for the effect handlers ({@code service.effect}); every pointer into a
 * package's entry is built here.
 */
public final class PackagePaths {
  private PackagePaths() {}

  public static JsonPointer entry(String id) {
    return PublicPaths.PACKAGE_DATA.pointer().child(id);
  }

  public static DbPath<ObjectNode> entryNode(String id) {
    return DbPath.of(entry(id), ObjectNode.class);
  }

  public static DbPath<JsonNode> stateInfo(String id) {
    return DbPath.of(entry(id).child("stateInfo"), JsonNode.class);
  }

  public static DbPath<StatusInfo> status(String id) {
    return DbPath.of(entry(id).child("statusInfo"), StatusInfo.class);
  }

  public static DbPath<Map<String, ActionMetadata>> actions(String id) {
    return DbPath.of(entry(id).child("actions"), new TypeReference<>() {});
  }

  public static DbPath<Map<String, TaskEntry>> tasks(String id) {
    return DbPath.of(entry(id).child("tasks"), new TypeReference<>() {});
  }

  public static DbPath<Map<String, Host>> hosts(String id) {
    return DbPath.of(entry(id).child("hosts"), new TypeReference<>() {});
  }

  /** One host of a package. */
  public static DbPath<Host> hostOf(String id, String hostId) {
    return DbPath.of(entry(id).child("hosts").child(hostId), Host.class);
  }

  public static DbPath<Map<String, CurrentDependency>> currentDependencies(String id) {
    return DbPath.of(entry(id).child("currentDependencies"), new TypeReference<>() {});
  }

  /** The package's icon, as a data URL. */
  public static DbPath<String> icon(String id) {
    return DbPath.of(entry(id).child("icon"), String.class);
  }

  public static DbPath<Plugin> plugin(String id) {
    return DbPath.of(entry(id).child("plugin"), Plugin.class);
  }

  /** The package's health reports, run state and error, as JSON (for another package to read). */
  public static DbPath<JsonNode> statusJson(String id) {
    return DbPath.of(entry(id).child("statusInfo"), JsonNode.class);
  }

  /**
   * The archive's path, for clients to show: written, never read (every host path is derived by
   * {@link Archives} from the private {@link #host} record).
   */
  public static DbPath<String> s9pk(String id) {
    return DbPath.of(entry(id).child("s9pk"), String.class);
  }

  /** What the host keeps about the package, where clients cannot write. */
  public static DbPath<PackageHost> host(String id) {
    return PrivatePaths.packageHost(DataDirs.checkId(id));
  }
}
