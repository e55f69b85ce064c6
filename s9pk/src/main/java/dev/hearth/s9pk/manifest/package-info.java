/**
 * The package manifest (s9pk.md §11): records that read and write {@code manifest.json} with
 * Jackson, in upstream's field order, keeping fields this version does not know (in {@code extra})
 * so that a read/write round trip loses nothing. {@link dev.hearth.s9pk.manifest.ManifestJson} is
 * the one mapper to use.
 */
@NullMarked
package dev.hearth.s9pk.manifest;

import org.jspecify.annotations.NullMarked;
