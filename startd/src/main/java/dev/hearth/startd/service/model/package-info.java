/**
 * What a package's entry in {@code /public/packageData/<id>} holds, as records whose JSON is
 * exactly patchdb.md §7.1 (the SDK reads these shapes back, e.g. {@code get-host-info} returns a
 * {@link dev.hearth.startd.service.model.Host}). Values only: validated when built, changed by
 * deriving copies. {@code JsonNode} is kept only where the spec says "any" (action input values,
 * accept patterns, a plugin's table action, a hostname's plugin info).
 */
@NullMarked
package dev.hearth.startd.service.model;

import org.jspecify.annotations.NullMarked;
