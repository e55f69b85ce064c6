/**
 * Where package files are kept: a directory ({@link dev.hearth.registry.blob.FileBlobStore}) or an
 * S3-compatible bucket ({@link dev.hearth.registry.blob.S3BlobStore}), named by content. Owns the
 * files and the local incoming directory; knows nothing of the index, which decides what is kept
 * (the sweep at start removes what it does not name).
 */
@NullMarked
package dev.hearth.registry.blob;

import org.jspecify.annotations.NullMarked;
