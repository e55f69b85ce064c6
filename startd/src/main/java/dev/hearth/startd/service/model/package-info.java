/**
 * The typed form of a package's entry in {@code /public/packageData/<id>}, as records and sealed
 * types whose JSON is exactly patchdb.md §7.1 (the SDK reads these shapes back, e.g. {@code
 * get-host-info} returns a {@link dev.hearth.startd.service.model.Host}): its state, its run
 * status, what its effects declared. Nothing in the service wing compares or builds a state as a
 * string, and every place in the entry is reached through a typed path of {@link PackagePaths}.
 * Values only: validated when built, changed by deriving copies. {@code JsonNode} is kept only
 * where the spec says "any" (action input values, accept patterns, a plugin's table action, a
 * hostname's plugin info) and for manifests, which are the signed package's, shown as they are.
 */
@NullMarked
package dev.hearth.startd.service.model;

import org.jspecify.annotations.NullMarked;
