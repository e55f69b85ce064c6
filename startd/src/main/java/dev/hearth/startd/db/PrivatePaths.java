package dev.hearth.startd.db;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.hearth.patchdb.DbPath;
import dev.hearth.patchdb.json.JsonPointer;
import java.util.List;
import java.util.Map;

/** Every path into {@code /private}, with its type. Nothing here ever reaches a client. */
public final class PrivatePaths {
  private PrivatePaths() {}

  public static final JsonPointer ROOT = JsonPointer.of("private");

  public static final DbPath<Integer> SCHEMA_VERSION =
      DbPath.of(ROOT.child("schemaVersion"), Integer.class);

  /** The argon2id-encoded master password hash. */
  public static final DbPath<String> PASSWORD = DbPath.of(ROOT.child("password"), String.class);

  public static final DbPath<LocalCerts> LOCAL_CERTS =
      DbPath.of(ROOT.child("keyStore").child("localCerts"), LocalCerts.class);

  public static final DbPath<String> DEVELOPER_KEY =
      DbPath.of(ROOT.child("developerKey"), String.class);

  public static final DbPath<List<String>> AUTH_PUBKEYS =
      DbPath.of(ROOT.child("authPubkeys"), new TypeReference<>() {});

  public static final JsonPointer SESSIONS = ROOT.child("sessions");

  public static final DbPath<Map<String, SessionRecord>> SESSION_MAP =
      DbPath.of(SESSIONS, new TypeReference<>() {});

  /** What the host keeps about each package, by id (see {@link PackageHost}). */
  public static final DbPath<Map<String, PackageHost>> PACKAGES =
      DbPath.of(ROOT.child("packages"), new TypeReference<>() {});

  public static DbPath<PackageHost> packageHost(String id) {
    return DbPath.of(PACKAGES.pointer().child(id), PackageHost.class);
  }

  public static DbPath<SessionRecord> session(String id) {
    return DbPath.of(SESSIONS.child(id), SessionRecord.class);
  }
}
