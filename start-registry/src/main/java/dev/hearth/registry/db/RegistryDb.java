package dev.hearth.registry.db;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.hearth.api.RegistryApi;
import dev.hearth.patchdb.DbPath;
import dev.hearth.patchdb.PatchDb;
import dev.hearth.patchdb.PatchDbOptions;
import dev.hearth.patchdb.Snapshot;
import dev.hearth.patchdb.Tx;
import dev.hearth.patchdb.json.JsonCodec;
import dev.hearth.patchdb.json.JsonPointer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
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

  public static DbPath<RegistryApi.SignerInfo> signer(String id) {
    return SIGNERS.child(id, RegistryApi.SignerInfo.class);
  }

  private final PatchDb db;
  private final ObjectMapper mapper;

  private RegistryDb(PatchDb db, ObjectMapper mapper) {
    this.db = db;
    this.mapper = mapper;
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
                  mapper.createObjectNode().set("versions", mapper.createObjectNode()),
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

  @Override
  public void close() {
    db.close();
  }
}
