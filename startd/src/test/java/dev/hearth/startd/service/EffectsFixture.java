package dev.hearth.startd.service;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.hearth.jsonrpc.RpcContext;
import dev.hearth.jsonrpc.RpcFailure;
import dev.hearth.jsonrpc.RpcTree;
import dev.hearth.patchdb.json.Json;
import dev.hearth.patchdb.json.JsonPointer;
import dev.hearth.s9pk.manifest.Manifest;
import dev.hearth.s9pk.manifest.ManifestJson;
import dev.hearth.startd.container.ContainerIds;
import dev.hearth.startd.container.ContainerPath;
import dev.hearth.startd.continuation.Continuations;
import dev.hearth.startd.db.Database;
import dev.hearth.startd.db.Migrations;
import dev.hearth.startd.notification.Notifications;
import dev.hearth.startd.runtime.Callbacks;
import dev.hearth.startd.service.effect.CallingService;
import dev.hearth.startd.service.effect.Effects;
import dev.hearth.startd.service.model.PackageId;
import dev.hearth.startd.service.model.PackagePaths;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * One installed, running package ({@link #ID}) with its effects tree, over a real database in a
 * temporary directory, the real {@link Services} and its effect adapter, and {@link FakeSandboxes}.
 * Calls go through the tree as a runtime's would: JSON params in, JSON result out.
 */
final class EffectsFixture implements AutoCloseable {
  /** The one gateway the network subsystem would have found (the fake sandboxes' LAN). */
  static final String GATEWAYS =
      "{\"gateways\":{\"eth0\":{\"name\":null,\"secure\":null,\"type\":\"inbound-outbound\","
          + "\"ipInfo\":{\"name\":\"eth0\",\"scopeId\":2,\"deviceType\":\"ethernet\","
          + "\"subnets\":[\"192.168.1.10/24\"],\"lanIp\":[\""
          + FakeSandboxes.LAN_IP
          + "\"],\"wanIp\":null,\"ntpServers\":[],\"dnsServers\":[]}}}}";

  static final String ID = "hello";
  static final ObjectMapper MAPPER =
      JsonMapper.builder().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();
  static final InstantSource CLOCK = InstantSource.fixed(Instant.parse("2026-01-01T00:00:00Z"));

  private static final String MANIFEST =
      "{\"id\":\"hello\",\"version\":\"1.0:0\",\"canMigrateTo\":\"*\",\"canMigrateFrom\":\"*\","
          + "\"title\":\"Hello\",\"description\":{\"short\":\"s\",\"long\":\"l\"},\"releaseNotes\":\"r\","
          + "\"license\":\"MIT\",\"upstreamRepo\":\"https://example.org\",\"images\":{},"
          + "\"volumes\":[\"main\"],\"dependencies\":{\"other\":{\"description\":null,\"optional\":false}}}";

  final Path dir;
  final Database db;
  final FakeSandboxes sandboxes = new FakeSandboxes();
  final Services services;
  final RpcTree tree;

  EffectsFixture() {
    try {
      dir = Files.createTempDirectory("effects-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    db = Database.open(dir.resolve("db"), MAPPER, Migrations.standard());
    Manifest manifest = ManifestJson.parse(MANIFEST.getBytes(StandardCharsets.UTF_8));
    db.mutate(tx ->
        tx.put(
            JsonPointer.ROOT,
            Json.parse(
                "{\"public\":{\"serverInfo\":{\"unreadNotificationCount\":0,\"network\":"
                    + GATEWAYS
                    + "},\"notifications\":{},"
                    + "\"packageData\":{\""
                    + ID
                    + "\":"
                    + entry(MANIFEST)
                    + "}},\"private\":{}}")));
    services =
        new Services(
            db,
            dir.resolve("data"),
            sandboxes,
            (s, logs) -> new FakeLoader(new DataDirs(dir.resolve("data"))),
            new Continuations(new SecureRandom(), CLOCK),
            new Notifications(db, CLOCK),
            MAPPER,
            CLOCK,
            new ManualScheduler(),
            Checkpoint.Hooks.NONE,
            "boot",
            "x86_64",
            Set.of());
    tree =
        Effects.tree(
            Effects.paramsMapper(MAPPER),
            new ServicesEffectHost(services),
            new Caller(manifest, new Callbacks(ID, MAPPER)));
  }

  /** A package entry as the installer leaves it, running. */
  private static String entry(String manifest) {
    return "{\"stateInfo\":{\"state\":\"installed\",\"manifest\":"
        + manifest
        + "},\"s9pk\":null,\"statusInfo\":{\"health\":{},\"error\":null,"
        + "\"started\":\"2026-01-01T00:00:00Z\",\"desired\":{\"main\":\"running\"}},"
        + "\"registry\":null,\"developerKey\":\"\",\"icon\":\"\",\"lastBackup\":null,"
        + "\"currentDependencies\":{},\"actions\":{},\"tasks\":{},\"hosts\":{},"
        + "\"storeExposedDependents\":[],\"outboundGateway\":null,\"plugin\":{\"url\":null}}";
  }

  /** Calls an effect as the package would, params given as JSON. */
  JsonNode call(String method, String params) throws RpcFailure {
    try {
      return tree.call(
          RpcContext.internal(new dev.hearth.jsonrpc.Caller.Local()),
          method,
          MAPPER.readTree(params));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The package's entry as stored. */
  JsonNode entry() {
    return db.snapshot()
        .get(
            dev.hearth.patchdb.DbPath.of(
                PackagePaths.entry(PackageId.of(ID)).pointer(), JsonNode.class))
        .orElseThrow();
  }

  @Override
  public void close() {
    services.close();
    db.close();
    try (Stream<Path> all = Files.walk(dir)) {
      all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The calling package: no container, so no subcontainers or mounts. */
  private record Caller(Manifest manifest, Callbacks callbacks) implements CallingService {
    @Override
    public PackageId packageId() {
      return PackageId.of(ID);
    }

    @Override
    public Set<String> images() {
      return Set.of();
    }

    @Override
    public Inet4Address ip() {
      try {
        return (Inet4Address) InetAddress.getByName("10.0.3.5");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @Override
    public Subcontainer createSubcontainer(String imageId, @Nullable String name) {
      throw new UnsupportedOperationException();
    }

    @Override
    public void destroySubcontainer(String guid) {
      throw new UnsupportedOperationException();
    }

    @Override
    public void bindReadOnly(
        Path dir, String subpath, ContainerPath at, ContainerIds owner, List<int[]> idmap) {
      throw new UnsupportedOperationException();
    }
  }
}
