package dev.hearth.startd.service;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hearth.patchdb.DbPath;
import dev.hearth.patchdb.json.JsonPointer;
import dev.hearth.startd.db.PackageHost;
import dev.hearth.startd.db.PrivatePaths;
import dev.hearth.startd.db.PublicPaths;
import java.util.Map;

/**
 * Where each part of a package's entry lives in {@code /public/packageData/<id>} (patchdb.md §7.1).
 */
final class PackagePaths {
  private PackagePaths() {}

  static JsonPointer entry(String id) {
    return PublicPaths.PACKAGE_DATA.pointer().child(id);
  }

  static DbPath<ObjectNode> entryNode(String id) {
    return DbPath.of(entry(id), ObjectNode.class);
  }

  static DbPath<JsonNode> stateInfo(String id) {
    return DbPath.of(entry(id).child("stateInfo"), JsonNode.class);
  }

  static DbPath<StatusInfo> status(String id) {
    return DbPath.of(entry(id).child("statusInfo"), StatusInfo.class);
  }

  static DbPath<Map<String, JsonNode>> actions(String id) {
    return DbPath.of(entry(id).child("actions"), new TypeReference<>() {});
  }

  static DbPath<Map<String, TaskEntry>> tasks(String id) {
    return DbPath.of(entry(id).child("tasks"), new TypeReference<>() {});
  }

  static DbPath<Map<String, JsonNode>> hosts(String id) {
    return DbPath.of(entry(id).child("hosts"), new TypeReference<>() {});
  }

  static DbPath<Map<String, JsonNode>> currentDependencies(String id) {
    return DbPath.of(entry(id).child("currentDependencies"), new TypeReference<>() {});
  }

  /**
   * The archive's path, for clients to show: written, never read (every host path is derived by
   * {@link Archives} from the private {@link #host} record).
   */
  static DbPath<String> s9pk(String id) {
    return DbPath.of(entry(id).child("s9pk"), String.class);
  }

  /** What the host keeps about the package, where clients cannot write. */
  static DbPath<PackageHost> host(String id) {
    return PrivatePaths.packageHost(DataDirs.checkId(id));
  }
}
