package dev.hearth.startd.db;

import org.jspecify.annotations.Nullable;

/**
 * What the host keeps about one package where no client can write ({@code /private/packages/<id>}):
 * nothing here is ever taken from the public model, which clients may read and (in {@code
 * /public/ui}) write.
 *
 * @param idSlot the slot of the host id range its container runs as; kept while its data exists,
 *     since its files are owned by those ids
 * @param archive the installed archive's name stem (base32 of its signature hash), or null while
 *     none is installed; the file is {@code archive/installed/<id>/<stem>.s9pk}
 * @param nextArchive while an update runs, the new archive's stem; null otherwise
 * @param signer the developer key (PEM) that signed the package whose data this is: kept with the
 *     data, so that a reinstall after a soft uninstall is held to it as an update is; null before
 *     it is known
 */
public record PackageHost(
    int idSlot, @Nullable String archive, @Nullable String nextArchive, @Nullable String signer) {
  public PackageHost withArchive(@Nullable String stem) {
    return new PackageHost(idSlot, stem, nextArchive, signer);
  }

  public PackageHost withNextArchive(@Nullable String stem) {
    return new PackageHost(idSlot, archive, stem, signer);
  }

  public PackageHost withSigner(String pem) {
    return new PackageHost(idSlot, archive, nextArchive, pem);
  }
}
