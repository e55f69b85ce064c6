/**
 * S9PK v2 packages (s9pk.md): {@link dev.hearth.s9pk.S9pk} opens, verifies, changes, filters and
 * writes a package; the archive, hashing, signing, manifest and packing live in subpackages. A pure
 * library: it depends on nothing of ours above {@code error} and {@code exver}, and runs no
 * external program except where packing needs {@code mksquashfs}, {@code tar}, {@code git} and
 * {@code node} ({@code dev.hearth.s9pk.pack}).
 */
@NullMarked
package dev.hearth.s9pk;

import org.jspecify.annotations.NullMarked;
