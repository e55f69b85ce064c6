package dev.hearth.registry.blob;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;

/**
 * Where the registry keeps package files: content-addressed (a file's name is the hex of its root
 * sighash), written whole or not at all. On disk by default ({@link FileBlobStore}); in an
 * S3-compatible bucket when the registry outgrows one disk ({@link S3BlobStore}). Either way an
 * incoming file is written and verified on local disk first.
 */
public interface BlobStore extends Closeable {
  /** A stored file: its name, its length, and so how a client gets its bytes. */
  sealed interface Blob permits OnDisk, S3BlobStore.InBucket {
    String name();

    long size();
  }

  /** A file on this machine's disk: sent straight from it. */
  record OnDisk(String name, Path path, long size) implements Blob {}

  /** A new empty file for an incoming package, on the same file system as the store's. */
  Path incoming() throws IOException;

  /**
   * Moves a verified incoming file into the store under {@code name}; keeps the stored one if the
   * same content is already there. The incoming file is gone afterwards.
   */
  Blob put(Path verified, String name) throws IOException;

  /**
   * The stored file of that name; empty when there is none (or the name is not one a store holds).
   *
   * @throws IOException when the store cannot be asked (a bucket that does not answer)
   */
  Optional<Blob> get(String name) throws IOException;

  void remove(String name) throws IOException;

  /** Every stored name, for the sweep of files nothing refers to. */
  Set<String> names() throws IOException;

  /** Releases what the store holds open (an object store's connections); files stay. */
  @Override
  default void close() throws IOException {}
}
