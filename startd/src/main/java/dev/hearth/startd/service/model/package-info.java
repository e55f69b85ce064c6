/**
 * The typed form of a package's entry in {@code /public/packageData/<id>} (patchdb.md §7.1): its
 * state, its run status, what its effects declared. Records and sealed types whose JSON is the
 * spec's, so nothing in the service wing compares or builds a state as a string, and every place in
 * the entry is reached through a typed path of {@link PackagePaths}.
 */
@NullMarked
package dev.hearth.startd.service.model;

import org.jspecify.annotations.NullMarked;
