package dev.hearth.startd.service;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import dev.hearth.patchdb.DbPath;
import dev.hearth.patchdb.json.JsonPointer;
import dev.hearth.startd.db.PublicPaths;
import java.util.Map;

/**
 * Where the parts of a package's entry that its effects write live in {@code
 * /public/packageData/<id>} (patchdb.md §7.1). The rest is in {@link
 * dev.hearth.startd.service.model.PackagePaths}.
 */
final class PackagePaths {
  private PackagePaths() {}

  static JsonPointer entry(String id) {
    return PublicPaths.PACKAGE_DATA.pointer().child(id);
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
}
