package dev.hearth.registry.blob;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;

/**
 * Where the registry keeps package files: content-addressed (a file's name is the hex of its root
 * sighash), written whole or not at all. On disk by default; an object store when the registry
 * outgrows one disk.
 */
public interface BlobStore {
  /** A stored file: where it can be read and how long it is. */
  record Blob(String name, Path path, long size) {}

  /** A new empty file for an incoming package, on the same file system as the store. */
  Path incoming() throws IOException;

  /**
   * Moves a verified incoming file into the store under {@code name}; keeps the stored one if the
   * same content is already there.
   */
  Blob put(Path verified, String name) throws IOException;

  Optional<Blob> get(String name);

  void remove(String name) throws IOException;

  /** Every stored name, for the sweep of files nothing refers to. */
  Set<String> names() throws IOException;
}
