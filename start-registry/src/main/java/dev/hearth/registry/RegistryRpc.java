package dev.hearth.registry;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hearth.api.RegistryApi;
import dev.hearth.error.ErrorKind;
import dev.hearth.error.StartException;
import dev.hearth.exver.VersionRange;
import dev.hearth.jsonrpc.RpcContext;
import dev.hearth.jsonrpc.RpcTree;
import dev.hearth.patchdb.json.JsonPatch;
import dev.hearth.patchdb.json.JsonPointer;
import dev.hearth.registry.auth.Authenticator;
import dev.hearth.registry.db.RegistryDb;
import dev.hearth.registry.os.OsReleases;
import dev.hearth.registry.os.OsRpc;
import dev.hearth.registry.pkg.Catalog;
import dev.hearth.registry.pkg.DeviceInfo;
import dev.hearth.registry.pkg.Publisher;
import dev.hearth.registry.pkg.Uploads;
import dev.hearth.s9pk.sign.SignerKey;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The registry's methods bound to their handlers. Handlers that need a signer or an admin ask the
 * {@link Authenticator}; everything else is public.
 */
final class RegistryRpc {
  /** What the transport knows of a request beyond its caller: its base URL and device. */
  record RequestFacts(String base, Optional<DeviceInfo> device) {}

  private final RegistryDb db;
  private final Authenticator auth;
  private final Catalog catalog;
  private final Publisher publisher;
  private final Uploads uploads;
  private final OsReleases os;
  private final ThreadLocal<RequestFacts> facts;

  RegistryRpc(
      RegistryDb db,
      Authenticator auth,
      Catalog catalog,
      Publisher publisher,
      Uploads uploads,
      OsReleases os,
      ThreadLocal<RequestFacts> facts) {
    this.db = db;
    this.auth = auth;
    this.catalog = catalog;
    this.publisher = publisher;
    this.uploads = uploads;
    this.os = os;
    this.facts = facts;
  }

  RpcTree tree() {
    var tree = RpcTree.builder(db.json());
    OsRpc.bind(tree, os, auth, () -> facts.get().device());
    return tree.authenticatedBy("a request signed by a signer of this registry")
        .bind(RegistryApi.INFO, (ctx, p) -> info())
        .bind(
            RegistryApi.SET_NAME,
            (ctx, p) -> {
              auth.admin(ctx);
              db.mutate(tx -> tx.put(RegistryDb.NAME, p.name()));
              return null;
            })
        .bind(
            RegistryApi.SET_ICON,
            (ctx, p) -> {
              auth.admin(ctx);
              if (!p.icon().startsWith("data:image/")) {
                throw new StartException(
                    ErrorKind.INVALID_REQUEST, "the icon is a data:image/ URL");
              }
              db.mutate(tx -> tx.put(RegistryDb.ICON, p.icon()));
              return null;
            })
        .bind(
            RegistryApi.INDEX,
            (ctx, p) -> {
              auth.signer(ctx);
              var index = db.read(RegistryDb.INDEX, null);
              return new RegistryApi.FullIndex(
                  index.name(),
                  index.icon(),
                  db.json()
                      .readValue(
                          catalog.indexText(facts.get().base()), RegistryApi.PackageIndex.class),
                  index.os(),
                  index.signers());
            })
        .bind(RegistryApi.ADMIN_ADD, (ctx, p) -> setAdmin(ctx, p.signer(), true))
        .bind(RegistryApi.ADMIN_REMOVE, (ctx, p) -> setAdmin(ctx, p.signer(), false))
        .bind(
            RegistryApi.ADMIN_LIST,
            (ctx, p) -> {
              auth.admin(ctx);
              return db.read(RegistryDb.ADMINS, List.of());
            })
        .bind(
            RegistryApi.SIGNER_LIST,
            (ctx, p) -> {
              auth.admin(ctx);
              return db.read(RegistryDb.SIGNERS, Map.of());
            })
        .bind(
            RegistryApi.SIGNER_ADD,
            (ctx, p) -> {
              auth.admin(ctx);
              return addSigner(p.name(), p.contact() == null ? List.of() : p.contact(), p.keys());
            })
        .bind(RegistryApi.SIGNER_EDIT, (ctx, p) -> editSigner(ctx, p))
        .bind(
            RegistryApi.SIGNER_REMOVE,
            (ctx, p) -> {
              String me = auth.admin(ctx);
              if (me.equals(p.id())) {
                throw new StartException(
                    ErrorKind.INVALID_REQUEST, "an admin cannot remove itself");
              }
              db.mutate(tx -> {
                if (!tx.remove(RegistryDb.signer(p.id()).pointer())) {
                  throw new StartException(ErrorKind.NOT_FOUND, "no signer " + p.id());
                }
                tx.update(
                    RegistryDb.ADMINS, a -> a.stream().filter(x -> !x.equals(p.id())).toList());
              });
              return null;
            })
        .bind(RegistryApi.PACKAGE_INDEX, (ctx, p) -> catalog.index(facts.get().base()))
        .bind(
            RegistryApi.PACKAGE_GET,
            (ctx, p) -> catalog.get(p, facts.get().device(), facts.get().base()))
        .bind(RegistryApi.PACKAGE_ADD, this::addPackage)
        .bind(RegistryApi.PACKAGE_ADD_MIRROR, this::addMirror)
        .bind(RegistryApi.PACKAGE_REMOVE, this::removePackage)
        .bind(RegistryApi.PACKAGE_REMOVE_MIRROR, this::removeMirror)
        .bind(RegistryApi.PACKAGE_SIGNER_ADD, this::authorize)
        .bind(
            RegistryApi.PACKAGE_SIGNER_REMOVE,
            (ctx, p) -> {
              auth.admin(ctx);
              updatePackage(
                  p.id(),
                  info -> {
                    Map<String, String> a = new HashMap<>(info.authorized());
                    if (a.remove(p.signer()) == null) {
                      throw new StartException(
                          ErrorKind.NOT_FOUND, p.signer() + " is not authorized for " + p.id());
                    }
                    return new RegistryApi.PackageInfo(a, info.versions());
                  });
              return null;
            })
        .bind(RegistryApi.PACKAGE_SIGNER_LIST, (ctx, p) -> packageInfo(p.id()).authorized())
        .bind(
            RegistryApi.CATEGORY_ADD,
            (ctx, p) -> {
              auth.admin(ctx);
              db.mutate(tx ->
                  tx.put(
                      RegistryDb.CATEGORIES.child(p.id(), RegistryApi.Category.class),
                      new RegistryApi.Category(p.name())));
              return null;
            })
        .bind(
            RegistryApi.CATEGORY_REMOVE,
            (ctx, p) -> {
              auth.admin(ctx);
              db.mutate(tx -> {
                if (!tx.remove(RegistryDb.CATEGORIES.pointer().child(p.id()))) {
                  throw new StartException(ErrorKind.NOT_FOUND, "no category " + p.id());
                }
                tx.update(
                    RegistryDb.PACKAGE_CATEGORIES,
                    all -> {
                      Map<String, List<String>> out = new HashMap<>();
                      all.forEach((pkg, cats) ->
                          out.put(pkg, cats.stream().filter(c -> !c.equals(p.id())).toList()));
                      return out;
                    });
              });
              return null;
            })
        .bind(RegistryApi.CATEGORY_ADD_PACKAGE, (ctx, p) -> categorize(ctx, p, true))
        .bind(RegistryApi.CATEGORY_REMOVE_PACKAGE, (ctx, p) -> categorize(ctx, p, false))
        .bind(RegistryApi.CATEGORY_LIST, (ctx, p) -> db.read(RegistryDb.CATEGORIES, Map.of()))
        .bind(
            RegistryApi.DB_DUMP,
            (ctx, p) -> {
              auth.admin(ctx);
              JsonPointer at =
                  p.pointer() == null ? JsonPointer.ROOT : JsonPointer.parse(p.pointer());
              return db.snapshot()
                  .get(at)
                  .map(j -> (JsonNode) db.json().valueToTree(j))
                  .orElseThrow(() -> new StartException(ErrorKind.NOT_FOUND, "nothing at " + at));
            })
        .bind(
            RegistryApi.DB_APPLY,
            (ctx, p) -> {
              auth.admin(ctx);
              JsonPatch patch;
              try {
                patch = db.json().treeToValue(p.patch(), JsonPatch.class);
              } catch (IOException | IllegalArgumentException e) {
                throw new StartException(
                    ErrorKind.DESERIALIZATION,
                    "not a JSON Patch of add/remove/replace: " + e.getMessage());
              }
              db.apply(patch);
              return null;
            })
        .bind(
            RegistryApi.METRICS_DOWNLOADS,
            (ctx, p) -> {
              auth.admin(ctx);
              Map<String, Map<String, Long>> all = db.read(RegistryDb.DOWNLOADS, Map.of());
              if (p.pkgId() != null) {
                all = Map.of(p.pkgId(), all.getOrDefault(p.pkgId(), Map.of()));
              }
              return new RegistryApi.Downloads(all);
            })
        .build();
  }

  private RegistryApi.Info info() {
    var index = db.read(RegistryDb.INDEX, null);
    return new RegistryApi.Info(
        index.name(), index.icon(), db.read(RegistryDb.CATEGORIES, Map.of()));
  }

  private Void setAdmin(RpcContext ctx, String signer, boolean admin) {
    String me = auth.admin(ctx);
    if (!admin && me.equals(signer)) {
      throw new StartException(ErrorKind.INVALID_REQUEST, "an admin cannot remove itself");
    }
    db.mutate(tx -> {
      if (tx.get(RegistryDb.signer(signer)).isEmpty()) {
        throw new StartException(ErrorKind.NOT_FOUND, "no signer " + signer);
      }
      tx.update(
          RegistryDb.ADMINS,
          list -> {
            var set = new LinkedHashSet<>(list);
            if (admin) {
              set.add(signer);
            } else {
              set.remove(signer);
            }
            return List.copyOf(set);
          });
    });
    return null;
  }

  /** Registers a signer; a key another signer holds is refused (a key names one signer). */
  String addSigner(String name, List<String> contact, List<String> keys) {
    List<String> normalized = keys.stream().map(RegistryRpc::normalizedKey).toList();
    for (String k : normalized) {
      if (auth.signerId(SignerKey.parsePem(k)).isPresent()) {
        throw new StartException(ErrorKind.DUPLICATE, "a signer with that key exists already");
      }
    }
    String id = UUID.randomUUID().toString();
    db.mutate(
        tx -> tx.put(RegistryDb.signer(id), new RegistryApi.SignerInfo(name, contact, normalized)));
    return id;
  }

  private Void editSigner(RpcContext ctx, RegistryApi.EditSignerParams p) {
    auth.admin(ctx);
    List<String> added =
        p.addKey() == null
            ? List.of()
            : p.addKey().stream().map(RegistryRpc::normalizedKey).toList();
    for (String k : added) {
      Optional<String> holder = auth.signerId(SignerKey.parsePem(k));
      if (holder.isPresent() && !holder.get().equals(p.id())) {
        throw new StartException(ErrorKind.DUPLICATE, "another signer holds that key");
      }
    }
    db.mutate(tx ->
        tx.update(
            RegistryDb.signer(p.id()),
            s -> {
              var contact = new LinkedHashSet<>(s.contact());
              if (p.addContact() != null) contact.addAll(p.addContact());
              if (p.removeContact() != null) contact.removeAll(p.removeContact());
              var keys = new LinkedHashSet<>(s.keys());
              keys.addAll(added);
              if (p.removeKey() != null) {
                p.removeKey().stream().map(RegistryRpc::normalizedKey).forEach(keys::remove);
              }
              return new RegistryApi.SignerInfo(
                  p.setName() == null ? s.name() : p.setName(),
                  List.copyOf(contact),
                  List.copyOf(keys));
            }));
    return null;
  }

  private static String normalizedKey(String pem) {
    try {
      return SignerKey.parsePem(pem).pem();
    } catch (RuntimeException e) {
      throw new StartException(
          ErrorKind.INVALID_REQUEST, "not an Ed25519 public key in PEM form", e);
    }
  }

  private RegistryApi.AddPackageResult addPackage(RpcContext ctx, RegistryApi.AddPackageParams p) {
    String signer = auth.signer(ctx);
    Publisher.Claim claim = publisher.claim(signer, p.commitment(), p.signature());
    List<String> urls = p.urls() == null ? List.of() : p.urls();
    if (urls.isEmpty() || Boolean.TRUE.equals(p.upload())) {
      return new RegistryApi.AddPackageResult(uploads.expect(claim));
    }
    publisher.addFromUrls(claim, urls);
    return new RegistryApi.AddPackageResult(null);
  }

  private Void addMirror(RpcContext ctx, RegistryApi.MirrorParams p) {
    String signer = auth.signer(ctx);
    publisher.claim(signer, p.commitment(), p.signature());
    if (!p.url().startsWith("https://") && !p.url().startsWith("http://")) {
      throw new StartException(ErrorKind.INVALID_REQUEST, "a mirror is an http(s) URL");
    }
    boolean found =
        rewriteAssets(
            p.commitment(),
            urls -> {
              if (!urls.contains(p.url())) urls.add(p.url());
            });
    if (!found) {
      throw new StartException(ErrorKind.NOT_FOUND, "no published package has that commitment");
    }
    return null;
  }

  private Void removeMirror(RpcContext ctx, RegistryApi.RemoveMirrorParams p) {
    String signer = auth.signer(ctx);
    checkMayChange(signer, p.id(), p.version());
    updatePackage(
        p.id(),
        info -> {
          var v = info.versions().get(p.version());
          if (v == null) throw new StartException(ErrorKind.NOT_FOUND, "no version " + p.version());
          List<RegistryApi.HardwareAsset> files = new ArrayList<>();
          for (var f : v.s9pks()) {
            var urls = new ArrayList<>(f.asset().urls());
            urls.remove(p.url());
            files.add(
                new RegistryApi.HardwareAsset(
                    f.hardwareRequirements(),
                    new RegistryApi.Asset(
                        f.asset().publishedAt(),
                        urls,
                        f.asset().commitment(),
                        f.asset().signatures())));
          }
          Map<String, RegistryApi.PackageVersionInfo> versions = new HashMap<>(info.versions());
          versions.put(p.version(), v.withS9pks(files));
          return new RegistryApi.PackageInfo(info.authorized(), versions);
        });
    return null;
  }

  private boolean rewriteAssets(
      RegistryApi.Commitment c, java.util.function.Consumer<List<String>> change) {
    return db.transact(tx -> {
      boolean found = false;
      Map<String, RegistryApi.PackageInfo> all = tx.get(RegistryDb.PACKAGES).orElse(Map.of());
      for (var pkg : all.entrySet()) {
        Map<String, RegistryApi.PackageVersionInfo> versions =
            new HashMap<>(pkg.getValue().versions());
        boolean changed = false;
        for (var v : pkg.getValue().versions().entrySet()) {
          List<RegistryApi.HardwareAsset> files = new ArrayList<>();
          for (var f : v.getValue().s9pks()) {
            if (f.asset().commitment().rootSighash().equals(c.rootSighash())) {
              var urls = new ArrayList<>(f.asset().urls());
              change.accept(urls);
              f =
                  new RegistryApi.HardwareAsset(
                      f.hardwareRequirements(),
                      new RegistryApi.Asset(
                          f.asset().publishedAt(),
                          urls,
                          f.asset().commitment(),
                          f.asset().signatures()));
              changed = true;
            }
            files.add(f);
          }
          versions.put(v.getKey(), v.getValue().withS9pks(files));
        }
        if (changed) {
          found = true;
          tx.put(
              RegistryDb.pkg(pkg.getKey()),
              new RegistryApi.PackageInfo(pkg.getValue().authorized(), versions));
        }
      }
      return found;
    });
  }

  private Void removePackage(RpcContext ctx, RegistryApi.RemovePackageParams p) {
    String signer = auth.signer(ctx);
    checkMayChange(signer, p.id(), p.version());
    if (p.version() == null) {
      if (!auth.isAdmin(signer)) {
        throw new StartException(
            ErrorKind.AUTHORIZATION, "removing a whole package needs an admin");
      }
      db.mutate(tx -> {
        if (!tx.remove(RegistryDb.pkg(p.id()).pointer())) {
          throw new StartException(ErrorKind.NOT_FOUND, "this registry has no package " + p.id());
        }
      });
      return null;
    }
    updatePackage(
        p.id(),
        info -> {
          Map<String, RegistryApi.PackageVersionInfo> versions = new HashMap<>(info.versions());
          var v = versions.get(p.version());
          if (v == null) {
            throw new StartException(
                ErrorKind.NOT_FOUND, "no version " + p.version() + " of " + p.id());
          }
          if (p.sighash() == null) {
            versions.remove(p.version());
          } else {
            var files =
                v.s9pks().stream()
                    .filter(f -> !f.asset().commitment().rootSighash().equals(p.sighash()))
                    .toList();
            if (files.size() == v.s9pks().size()) {
              throw new StartException(ErrorKind.NOT_FOUND, "no file with that sighash");
            }
            if (files.isEmpty()) versions.remove(p.version());
            else versions.put(p.version(), v.withS9pks(files));
          }
          return new RegistryApi.PackageInfo(info.authorized(), versions);
        });
    return null;
  }

  /** An admin may change anything; a signer the versions it may publish. */
  private void checkMayChange(
      String signer, String id, @org.jspecify.annotations.Nullable String version) {
    if (auth.isAdmin(signer)) return;
    String range = packageInfo(id).authorized().get(signer);
    if (range == null) {
      throw new StartException(ErrorKind.AUTHORIZATION, "this signer is not authorized for " + id);
    }
    if (version != null
        && !dev.hearth.exver.ExtendedVersion.parse(version).satisfies(VersionRange.parse(range))) {
      throw new StartException(
          ErrorKind.AUTHORIZATION, "this signer may change " + id + " only in " + range);
    }
  }

  private Void authorize(RpcContext ctx, RegistryApi.PackageSignerParams p) {
    auth.admin(ctx);
    String range = p.versions() == null ? "*" : p.versions();
    try {
      VersionRange.parse(range);
    } catch (RuntimeException e) {
      throw new StartException(ErrorKind.INVALID_REQUEST, "not a version range: " + range, e);
    }
    if (db.read(RegistryDb.signer(p.signer()), null) == null) {
      throw new StartException(ErrorKind.NOT_FOUND, "no signer " + p.signer());
    }
    db.mutate(tx -> {
      var info =
          tx.get(RegistryDb.pkg(p.id())).orElse(new RegistryApi.PackageInfo(Map.of(), Map.of()));
      Map<String, String> a = new HashMap<>(info.authorized());
      String old = a.get(p.signer());
      a.put(
          p.signer(), Boolean.TRUE.equals(p.merge()) && old != null ? old + " || " + range : range);
      tx.put(RegistryDb.pkg(p.id()), new RegistryApi.PackageInfo(a, info.versions()));
    });
    return null;
  }

  private Void categorize(RpcContext ctx, RegistryApi.CategoryPackageParams p, boolean add) {
    auth.admin(ctx);
    db.mutate(tx -> {
      if (tx.get(RegistryDb.CATEGORIES.child(p.id(), RegistryApi.Category.class)).isEmpty()) {
        throw new StartException(ErrorKind.NOT_FOUND, "no category " + p.id());
      }
      tx.update(
          RegistryDb.PACKAGE_CATEGORIES,
          all -> {
            Map<String, List<String>> out = new HashMap<>(all);
            var set = new LinkedHashSet<>(out.getOrDefault(p.packageId(), List.of()));
            if (add) set.add(p.id());
            else set.remove(p.id());
            out.put(p.packageId(), List.copyOf(set));
            return out;
          });
    });
    return null;
  }

  private RegistryApi.PackageInfo packageInfo(String id) {
    var info = db.read(RegistryDb.pkg(id), null);
    if (info == null) {
      throw new StartException(ErrorKind.NOT_FOUND, "this registry has no package " + id);
    }
    return info;
  }

  private void updatePackage(
      String id, java.util.function.UnaryOperator<RegistryApi.PackageInfo> change) {
    db.mutate(tx -> {
      var info =
          tx.get(RegistryDb.pkg(id))
              .orElseThrow(() ->
                  new StartException(ErrorKind.NOT_FOUND, "this registry has no package " + id));
      tx.put(RegistryDb.pkg(id), change.apply(info));
    });
  }
}
