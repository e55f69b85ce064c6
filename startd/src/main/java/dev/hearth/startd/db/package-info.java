/**
 * The daemon's database (patchdb.md §7): one Patch-DB document with a public model at {@code
 * /public} (what clients may see, streamed live) and a private model at {@code /private} (password
 * hash, keys, sessions). Owns the shape of both, their typed paths, the schema version and
 * migrations, and the {@code db.*} RPC methods.
 *
 * <p>Must never hand a client anything under {@code /private}: client-facing code reads through
 * {@link dev.hearth.startd.db.Database#publicView()} only.
 */
@NullMarked
package dev.hearth.startd.db;

import org.jspecify.annotations.NullMarked;
