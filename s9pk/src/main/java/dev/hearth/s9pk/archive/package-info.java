/**
 * The signed merkle archive (s9pk.md §2–§7): reading it lazily and verifying, and writing it with
 * upstream's physical layout. {@link dev.hearth.s9pk.archive.MerkleArchive} opens and checks the
 * header, signature and every table of contents without reading file bodies; {@link
 * dev.hearth.s9pk.archive.Entry#open()} verifies one file as it streams; {@link
 * dev.hearth.s9pk.archive.ArchiveWriter} lays an archive out byte for byte as upstream does.
 *
 * <p>Knows nothing of packages (manifest, icon, images): that is {@code dev.hearth.s9pk}. Every
 * malformed input ends in a {@link dev.hearth.error.StartException} of kind {@code PARSE_S9PK}
 * (structure, limits) or {@code INVALID_SIGNATURE} (bytes differ from what was signed).
 */
@NullMarked
package dev.hearth.s9pk.archive;

import org.jspecify.annotations.NullMarked;
