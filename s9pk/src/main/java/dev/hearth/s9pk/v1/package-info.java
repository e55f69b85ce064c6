/**
 * S9PK v1 (s9pk.md §10), import only: {@link dev.hearth.s9pk.v1.LegacyPackage} reads the header and
 * sections of a {@code 3B 3B 01} file, and {@link dev.hearth.s9pk.v1.Conversion} rebuilds it as a
 * v2 package signed with the developer key. Never writes v1.
 */
@NullMarked
package dev.hearth.s9pk.v1;

import org.jspecify.annotations.NullMarked;
