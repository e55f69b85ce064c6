package dev.hearth.registry.db;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.hearth.api.RegistryApi;
import dev.hearth.error.ErrorKind;
import dev.hearth.error.StartException;
import dev.hearth.patchdb.DbPath;
import dev.hearth.patchdb.PatchDb;
import dev.hearth.patchdb.PatchDbOptions;
import dev.hearth.patchdb.Snapshot;
import dev.hearth.patchdb.Tx;
import dev.hearth.patchdb.json.Json;
import dev.hearth.patchdb.json.JsonCodec;
import dev.hearth.patchdb.json.JsonPatch;
import dev.hearth.patchdb.json.JsonPointer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The registry's database: {@code {admins, index: {name, icon, package, os, signers},
 * packageCategories, downloads}} in a {@link PatchDb}. Every path is spelled here once.
 */
public final class RegistryDb implements AutoCloseable {
  public static final DbPath<List<String>> ADMINS =
      DbPath.of(JsonPointer.of("admins"), new TypeReference<List<String>>() {});
  public static final DbPath<RegistryApi.FullIndex> INDEX =
      DbPath.of(JsonPointer.of("index"), RegistryApi.FullIndex.class);
  public static final DbPath<String> NAME = INDEX.child("name", String.class);
  public static final DbPath<String> ICON = INDEX.child("icon", String.class);
  public static final DbPath<Map<String, RegistryApi.SignerInfo>> SIGNERS =
      INDEX.child("signers", new TypeReference<Map<String, RegistryApi.SignerInfo>>() {});
  public static final DbPath<RegistryApi.PackageIndex> PACKAGE_INDEX =
      INDEX.child("package", RegistryApi.PackageIndex.class);
  public static final DbPath<Map<String, RegistryApi.Category>> CATEGORIES =
      PACKAGE_INDEX.child("categories", new TypeReference<Map<String, RegistryApi.Category>>() {});
  public static final DbPath<Map<String, RegistryApi.PackageInfo>> PACKAGES =
      PACKAGE_INDEX.child("packages", new TypeReference<Map<String, RegistryApi.PackageInfo>>() {});

  public static final DbPath<RegistryApi.OsIndex> OS = INDEX.child("os", RegistryApi.OsIndex.class);
  public static final DbPath<Map<String, RegistryApi.OsVersionInfo>> OS_VERSIONS =
      OS.child("versions", new TypeReference<Map<String, RegistryApi.OsVersionInfo>>() {});

  /** Which categories each package is in: package id → category ids. */
  public static final DbPath<Map<String, List<String>>> PACKAGE_CATEGORIES =
      DbPath.of(
          JsonPointer.of("packageCategories"), new TypeReference<Map<String, List<String>>>() {});

  public static final DbPath<Map<String, Map<String, Long>>> DOWNLOADS =
      DbPath.of(
          JsonPointer.of("downloads"), new TypeReference<Map<String, Map<String, Long>>>() {});

  public static DbPath<RegistryApi.PackageInfo> pkg(String id) {
    return PACKAGES.child(id, RegistryApi.PackageInfo.class);
  }

  /** One OS release, by its version as {@code Version.toString()} prints it. */
  public static DbPath<RegistryApi.OsVersionInfo> osVersion(String version) {
    return OS_VERSIONS.child(version, RegistryApi.OsVersionInfo.class);
  }

  public static DbPath<RegistryApi.SignerInfo> signer(String id) {
    return SIGNERS.child(id, RegistryApi.SignerInfo.class);
  }

  /**
   * The whole database as records: what {@link #apply} checks a patched database against. Every
   * member is required; a record's own constructor checks what is inside it.
   */
  record Model(
      List<String> admins,
      RegistryApi.FullIndex index,
      Map<String, List<String>> packageCategories,
      Map<String, Map<String, Long>> downloads) {
    Model {
      Objects.requireNonNull(admins, "admins");
      Objects.requireNonNull(index, "index");
      Objects.requireNonNull(packageCategories, "packageCategories");
      Objects.requireNonNull(downloads, "downloads");
      Objects.requireNonNull(index.packageIndex(), "index.package");
      Objects.requireNonNull(index.packageIndex().categories(), "index.package.categories");
      Objects.requireNonNull(index.packageIndex().packages(), "index.package.packages");
      Objects.requireNonNull(index.os(), "index.os");
      Objects.requireNonNull(index.signers(), "index.signers");
    }
  }

  private final PatchDb db;
  private final ObjectMapper mapper;
  private final ObjectMapper strict;

  private RegistryDb(PatchDb db, ObjectMapper mapper) {
    this.db = db;
    this.mapper = mapper;
    this.strict =
        mapper
            .copy()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
  }

  /** The mapper of the registry's records (unknown keys are kept out, nulls are nulls). */
  public static ObjectMapper mapper() {
    return JsonMapper.builder()
        .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .addModule(JsonCodec.module())
        .build();
  }

  /** Opens (or creates) the database in {@code dir}, writing the empty model on first use. */
  public static RegistryDb open(Path dir, String defaultName) {
    ObjectMapper mapper = mapper();
    PatchDb db = PatchDb.open(dir, PatchDbOptions.defaults().withCodec(new JsonCodec(mapper)));
    try {
      db.mutate(tx -> {
        if (tx.get(INDEX).isEmpty()) {
          tx.put(ADMINS, List.of());
          tx.put(
              INDEX,
              new RegistryApi.FullIndex(
                  defaultName,
                  null,
                  new RegistryApi.PackageIndex(Map.of(), Map.of()),
                  new RegistryApi.OsIndex(Map.of()),
                  Map.of()));
          tx.put(PACKAGE_CATEGORIES, Map.of());
          tx.put(DOWNLOADS, Map.of());
        }
      });
      return new RegistryDb(db, mapper);
    } catch (RuntimeException e) {
      db.close();
      throw e;
    }
  }

  public ObjectMapper json() {
    return mapper;
  }

  public Snapshot snapshot() {
    return db.snapshot();
  }

  public long revision() {
    return db.sequence();
  }

  public <T> T read(DbPath<T> path, T fallback) {
    return db.snapshot().get(path).orElse(fallback);
  }

  public void mutate(Consumer<Tx> change) {
    db.mutate(change);
  }

  public <R> R transact(Function<Tx, R> change) {
    return db.transact(change).value();
  }

  /**
   * Applies an RFC 6902 patch to the whole database (rpc.md §4.8 {@code registry.db.apply}; ours
   * takes a JSON Patch where upstream takes a jq expression, as startd's {@code db.apply} does), in
   * one transaction: a patch that does not apply, or whose result no longer reads as the registry's
   * model, changes nothing.
   *
   * @throws StartException DATABASE if an operation does not apply, INVALID_REQUEST if the result
   *     is not a valid model
   */
  public void apply(JsonPatch patch) {
    db.mutate(tx -> {
      tx.apply(patch);
      validate(tx.root());
    });
  }

  private void validate(Json root) {
    try {
      strict.convertValue(root, Model.class);
    } catch (IllegalArgumentException e) {
      String detail = e.getMessage() == null ? "" : e.getMessage().lines().findFirst().orElse("");
      throw new StartException(
          ErrorKind.INVALID_REQUEST, "the registry's database would no longer be valid: " + detail);
    }
  }

  @Override
  public void close() {
    db.close();
  }
}
