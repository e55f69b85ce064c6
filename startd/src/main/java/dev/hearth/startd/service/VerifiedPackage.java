package dev.hearth.startd.service;

import dev.hearth.s9pk.manifest.Manifest;
import dev.hearth.s9pk.sign.SignerKey;
import dev.hearth.startd.service.model.PackageId;
import java.nio.file.Path;

/**
 * A package file that passed every check (signature, every hash, this machine's arch, its
 * contents), still in the upload directory, with what installing it needs to know.
 *
 * @param sighash the signature hash, which names the stored archive
 * @param icon the icon as a data URL
 * @param registry the registry it was installed from; null when sideloaded
 */
record VerifiedPackage(
    Path file,
    Manifest manifest,
    byte[] sighash,
    SignerKey signer,
    String icon,
    @org.jspecify.annotations.Nullable String registry) {
  PackageId id() {
    return PackageId.of(manifest.id());
  }
}
