/**
 * A durable, reactive JSON document store (patchdb.md): transactions that yield revisions as RFC
 * 6902 patches, a checksummed journal with group commit and background snapshots, subscriptions
 * that stream a subtree, and watches for reconcilers. {@link dev.hearth.patchdb.PatchDb} is the
 * facade; docs/patchdb.md describes the files and the guarantees.
 *
 * <p>This is a pure library: it depends on nothing of ours but {@code error}, and knows nothing of
 * StartOS's data model, which its callers define with {@link dev.hearth.patchdb.DbPath}s.
 */
@NullMarked
package dev.hearth.patchdb;

import org.jspecify.annotations.NullMarked;
