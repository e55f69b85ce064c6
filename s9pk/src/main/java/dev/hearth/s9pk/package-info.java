/**
 * S9PK v2 packages (s9pk.md): the signed merkle archive, the manifest model, packing and
 * validation. A pure library: it depends on nothing of ours above {@code error} and {@code exver}.
 */
@NullMarked
package dev.hearth.s9pk;

import org.jspecify.annotations.NullMarked;
