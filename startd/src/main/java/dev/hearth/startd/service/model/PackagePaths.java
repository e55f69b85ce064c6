package dev.hearth.startd.service.model;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import dev.hearth.patchdb.DbPath;
import dev.hearth.patchdb.json.JsonPointer;
import dev.hearth.startd.db.PackageHost;
import dev.hearth.startd.db.PrivatePaths;
import dev.hearth.startd.db.PublicPaths;
import java.util.Map;

/**
 * Every place in a package's entry ({@code /public/packageData/<id>}, patchdb.md §7.1) and its
 * private host record, with its type. The only class that names a key of the entry.
 */
public final class PackagePaths {
  private PackagePaths() {}

  /** Every package's entry, by id. */
  public static final DbPath<Map<PackageId, PackageEntry>> ALL =
      DbPath.of(PublicPaths.PACKAGE_DATA.pointer(), new TypeReference<>() {});

  private static JsonPointer pointer(PackageId id) {
    return PublicPaths.PACKAGE_DATA.pointer().child(id.value());
  }

  public static DbPath<PackageEntry> entry(PackageId id) {
    return DbPath.of(pointer(id), PackageEntry.class);
  }

  /** The entry as raw JSON, for the storage quota, which counts bytes as stored. */
  public static DbPath<JsonNode> rawPart(PackageId id, Part part) {
    return DbPath.of(pointer(id).child(part.key), JsonNode.class);
  }

  public static DbPath<PackageState> state(PackageId id) {
    return DbPath.of(pointer(id).child("stateInfo"), PackageState.class);
  }

  public static DbPath<StatusInfo> status(PackageId id) {
    return DbPath.of(pointer(id).child("statusInfo"), StatusInfo.class);
  }

  public static DbPath<Map<String, ActionMetadata>> actions(PackageId id) {
    return DbPath.of(pointer(id).child("actions"), new TypeReference<>() {});
  }

  /** The tasks this package asked for (their target may be another package). */
  public static DbPath<Map<String, TaskEntry>> tasks(PackageId id) {
    return DbPath.of(pointer(id).child("tasks"), new TypeReference<>() {});
  }

  public static DbPath<Map<String, Host>> hosts(PackageId id) {
    return DbPath.of(pointer(id).child("hosts"), new TypeReference<>() {});
  }

  /** One host of a package. */
  public static DbPath<Host> host(PackageId id, String hostId) {
    return DbPath.of(pointer(id).child("hosts").child(hostId), Host.class);
  }

  public static DbPath<Map<String, CurrentDependency>> currentDependencies(PackageId id) {
    return DbPath.of(pointer(id).child("currentDependencies"), new TypeReference<>() {});
  }

  public static DbPath<Plugin> plugin(PackageId id) {
    return DbPath.of(pointer(id).child("plugin"), Plugin.class);
  }

  /** The run status as stored, for another package to read with parts left out. */
  public static DbPath<JsonNode> statusJson(PackageId id) {
    return DbPath.of(pointer(id).child("statusInfo"), JsonNode.class);
  }

  public static DbPath<String> icon(PackageId id) {
    return DbPath.of(pointer(id).child("icon"), String.class);
  }

  /** The registry the installed version came from; null when it was sideloaded. */
  public static DbPath<String> registry(PackageId id) {
    return DbPath.of(pointer(id).child("registry"), String.class);
  }

  public static DbPath<String> developerKey(PackageId id) {
    return DbPath.of(pointer(id).child("developerKey"), String.class);
  }

  /**
   * The archive's path, for clients to show: written, never read (every host path is derived by
   * {@code Archives} from the private {@link #host} record).
   */
  public static DbPath<String> s9pk(PackageId id) {
    return DbPath.of(pointer(id).child("s9pk"), String.class);
  }

  /** What the host keeps about the package, where clients cannot write. */
  public static DbPath<PackageHost> host(PackageId id) {
    return PrivatePaths.packageHost(id.value());
  }

  /** The parts of an entry a package's effects write (and the storage quota counts). */
  public enum Part {
    ACTIONS("actions"),
    TASKS("tasks"),
    HOSTS("hosts"),
    STATUS("statusInfo"),
    DEPENDENCIES("currentDependencies"),
    PLUGIN("plugin");

    final String key;

    Part(String key) {
      this.key = key;
    }
  }
}
