/**
 * Immutable JSON values with structural sharing, RFC 6901 pointers, RFC 6902 patches and a diff
 * that produces them. This is the data model of {@code dev.hearth.patchdb}; Jackson converts
 * between it, text and records ({@link dev.hearth.patchdb.json.JsonCodec}).
 */
@NullMarked
package dev.hearth.patchdb.json;

import org.jspecify.annotations.NullMarked;
