package dev.hearth.startd.service;

import dev.hearth.api.NotificationApi;
import dev.hearth.error.ErrorKind;
import dev.hearth.error.StartException;
import dev.hearth.s9pk.sign.SignerKey;
import dev.hearth.startd.service.model.PackageId;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An update, or a reinstall over kept data, must be signed by the signer of what is there, unless
 * the user accepted exactly this new key: whoever holds another key would otherwise take over the
 * package's data (issue 10). A refusal says both keys in a notification, for the person to decide,
 * and changes nothing.
 */
final class Signers {
  private static final Logger log = LoggerFactory.getLogger(Signers.class);

  private Signers() {}

  /**
   * @throws StartException ({@link ErrorKind#INVALID_SIGNATURE}) if {@code pkg} is signed by
   *     another key than {@code installed} and not by {@code accepted}
   */
  static void check(
      ServiceContext ctx,
      PackageId id,
      VerifiedPackage pkg,
      SignerKey installed,
      @Nullable SignerKey accepted) {
    SignerKey signer = pkg.signer();
    if (installed.equals(signer) || signer.equals(accepted)) {
      if (!installed.equals(signer)) {
        log.warn("{}: the user accepted a new signer for {}", id, pkg.manifest().version());
      }
      return;
    }
    String details =
        "This package is signed by a different key than the installed version of "
            + id
            + ".\nInstalled key:\n"
            + installed.pem()
            + "\nThis package's key:\n"
            + signer.pem()
            + "\nInstall it only if you trust the new signer with this service's data.";
    var data = ctx.mapper().createObjectNode();
    data.put("packageId", id.value());
    data.put("version", pkg.manifest().version().toString());
    data.put("installedKey", installed.pem());
    data.put("packageKey", signer.pem());
    try {
      ctx.notifications()
          .create(
              id.value(),
              NotificationApi.Level.warning,
              "Update refused: new signer",
              details,
              2,
              data);
    } catch (RuntimeException e) {
      log.warn("cannot notify about the refused update of {}: {}", id, e.getMessage());
    }
    throw new StartException(
        ErrorKind.INVALID_SIGNATURE,
        id
            + " is signed by another key than the installed version; to accept it: --accept-key-change");
  }
}
