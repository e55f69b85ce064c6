/**
 * BLAKE3 (s9pk.md §4): {@link dev.hearth.s9pk.hash.Blake3} hashes with the official C
 * implementation through the FFM API when its library loads, and with Bouncy Castle otherwise. Both
 * give the same digests; only speed differs. Owns the native library's extraction and loading; must
 * not keep global mutable state beyond the one loaded library.
 */
@NullMarked
package dev.hearth.s9pk.hash;

import org.jspecify.annotations.NullMarked;
