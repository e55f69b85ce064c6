package dev.hearth.startd.system;

import dev.hearth.error.ErrorKind;
import dev.hearth.error.StartException;
import dev.hearth.startd.cert.LocalCa;
import dev.hearth.startd.db.Database;
import dev.hearth.startd.db.LocalCerts;
import dev.hearth.startd.db.PrivatePaths;
import dev.hearth.startd.db.PublicPaths;
import java.security.SecureRandom;
import java.time.InstantSource;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Renames the server: its display name and its hostname. A new hostname gets a new server
 * certificate from the same root in the same transaction, so the name and the certificate never
 * disagree.
 */
public final class ServerNames {
  private static final Logger log = LoggerFactory.getLogger(ServerNames.class);

  private final Database db;
  private final SecureRandom random;
  private final InstantSource clock;
  private final Runnable certificateChanged;

  /**
   * @param certificateChanged told after a rename reissued the server certificate, so the TLS
   *     listener serves the new one
   */
  public ServerNames(
      Database db, SecureRandom random, InstantSource clock, Runnable certificateChanged) {
    this.db = db;
    this.random = random;
    this.clock = clock;
    this.certificateChanged = certificateChanged;
  }

  /**
   * @throws StartException (INVALID_REQUEST) for an invalid hostname or a name without letters or
   *     digits
   */
  public void rename(@Nullable String name, @Nullable String hostname) {
    if ((name == null || name.isBlank()) && (hostname == null || hostname.isBlank())) {
      throw new StartException(ErrorKind.INVALID_REQUEST, "give a name, a hostname, or both");
    }
    Hostnames.Names names = Hostnames.of(name, hostname, random);
    boolean reissued =
        db.transact(
                tx -> {
                  String oldHostname = tx.get(PublicPaths.HOSTNAME).orElse("");
                  tx.put(PublicPaths.SERVER_NAME, names.name());
                  if (oldHostname.equals(names.hostname())) {
                    return false;
                  }
                  tx.put(PublicPaths.HOSTNAME, names.hostname());
                  LocalCerts certs =
                      tx.get(PrivatePaths.LOCAL_CERTS)
                          .orElseThrow(() ->
                              new StartException(
                                  ErrorKind.UNINITIALIZED, "the server is not set up"));
                  tx.put(
                      PrivatePaths.LOCAL_CERTS,
                      LocalCa.reissue(certs, names.hostname(), random, clock.instant()));
                  return true;
                })
            .value();
    if (reissued) {
      certificateChanged.run();
    }
    log.info("server renamed to \"{}\" ({}.local)", names.name(), names.hostname());
  }
}
