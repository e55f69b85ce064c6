package dev.hearth.s9pk.archive;

import dev.hearth.s9pk.sign.DeveloperKey;

/** How a written archive gets its header (s9pk.md §7, upstream's {@code Signer}). */
public sealed interface Signing {
  /**
   * Sign anew: the root max size becomes the current root TOC size.
   *
   * @param context the Ed25519ph context, {@code s9pk} for packages
   */
  record Sign(DeveloperKey key, String context) implements Signing {}

  /**
   * Keep an existing signature: the tree must still have the signed root sighash (it may have had
   * entries stripped to MISSING), and only the root TOC position and size are recomputed.
   */
  record Keep(ArchiveHeader header) implements Signing {}
}
