package dev.hearth.s9pk;

import dev.hearth.error.ErrorKind;
import dev.hearth.error.StartException;
import dev.hearth.s9pk.archive.ArchiveHeader;
import dev.hearth.s9pk.archive.ArchiveSource;
import dev.hearth.s9pk.archive.ArchiveWriter;
import dev.hearth.s9pk.archive.Commitment;
import dev.hearth.s9pk.archive.Directory;
import dev.hearth.s9pk.archive.Entry;
import dev.hearth.s9pk.archive.Limits;
import dev.hearth.s9pk.archive.MerkleArchive;
import dev.hearth.s9pk.archive.Signing;
import dev.hearth.s9pk.manifest.Manifest;
import dev.hearth.s9pk.manifest.ManifestJson;
import dev.hearth.s9pk.sign.DeveloperKey;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A package: its manifest and its file tree, opened from a signed {@code .s9pk} or built anew
 * (s9pk.md). Values: every change returns a new {@code S9pk}. One that still has the signed tree
 * (or only stripped it to MISSING) can be written keeping its signature; any other change needs a
 * developer key.
 *
 * <p>An opened package reads file bodies from its file until {@link #close()}; derived packages
 * share that file, so close the one you opened last.
 */
public final class S9pk implements Closeable {
  /** {@code 3B 3B 02}: magic and format version (s9pk.md §1). */
  public static final byte[] MAGIC = {0x3b, 0x3b, 0x02};

  /** The Ed25519ph context of package signatures (s9pk.md §5). */
  public static final String CONTEXT = "s9pk";

  /** A manifest larger than this is refused before it is read. */
  static final int MAX_MANIFEST_BYTES = 8 << 20;

  private final Manifest manifest;
  private final Directory contents;
  private final Optional<MerkleArchive> archive;
  private final Optional<ArchiveHeader> signature;

  private S9pk(
      Manifest manifest,
      Directory contents,
      Optional<MerkleArchive> archive,
      Optional<ArchiveHeader> signature) {
    this.manifest = manifest;
    this.contents = contents;
    this.archive = archive;
    this.signature = signature;
  }

  /**
   * Opens and verifies a package file (header, signature, every TOC; file bodies as they are read)
   * and parses its manifest.
   *
   * @throws StartException PARSE_S9PK, INVALID_SIGNATURE, DESERIALIZATION (manifest) or FILESYSTEM
   */
  public static S9pk open(Path file) {
    return open(ArchiveSource.of(file), Optional.empty());
  }

  /** Opens from any source, checking a registry's commitment when one is given. */
  public static S9pk open(ArchiveSource source, Optional<Commitment> expected) {
    MerkleArchive archive = MerkleArchive.open(source, MAGIC, CONTEXT, expected, Limits.DEFAULT);
    try {
      Entry entry =
          archive
              .root()
              .get("manifest.json")
              .orElseThrow(() ->
                  new StartException(ErrorKind.PARSE_S9PK, "the package has no manifest.json"));
      Manifest manifest = ManifestJson.parse(entry.readAll("manifest.json", MAX_MANIFEST_BYTES));
      return new S9pk(
          manifest, archive.root(), Optional.of(archive), Optional.of(archive.header()));
    } catch (RuntimeException e) {
      try {
        archive.close();
      } catch (IOException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
  }

  /** A new, unsigned package: {@code manifest.json} is written from the manifest. */
  public static S9pk of(Manifest manifest, Directory contents) {
    return new S9pk(
        manifest,
        contents.with("manifest.json", Entry.file(ManifestJson.write(manifest))),
        Optional.empty(),
        Optional.empty());
  }

  public Manifest manifest() {
    return manifest;
  }

  /** The file tree, {@code manifest.json} included. */
  public Directory contents() {
    return contents;
  }

  /** The signature this tree still carries, if it was opened and not changed since. */
  public Optional<ArchiveHeader> signature() {
    return signature;
  }

  /** The archive it was opened from. */
  public Optional<MerkleArchive> archive() {
    return archive;
  }

  /**
   * The icon: the largest root file named {@code icon.<image extension>} (as upstream reads it).
   */
  public Optional<Map.Entry<String, Entry>> icon() {
    return contents.entries().entrySet().stream()
        .filter(e -> PackageRules.isIcon(e.getKey()) && e.getValue().isFile())
        .max(Comparator.comparingLong(e -> e.getValue().size()));
  }

  /** Whether a root file name is an icon: {@code icon.} and an image extension (s9pk.md §8). */
  public static boolean isIconName(String name) {
    return PackageRules.isIcon(name);
  }

  /** An image file as a {@code data:} URL, its type from its extension (icons, in the UI). */
  public static String imageDataUrl(String name, byte[] bytes) {
    String ext = name.substring(name.lastIndexOf('.') + 1).toLowerCase(java.util.Locale.ROOT);
    String type =
        switch (ext) {
          case "svg" -> "image/svg+xml";
          case "jpg", "jpeg" -> "image/jpeg";
          default -> "image/" + ext;
        };
    return "data:" + type + ";base64," + java.util.Base64.getEncoder().encodeToString(bytes);
  }

  /** A file's verified bytes. */
  public byte[] read(String path, int maxBytes) {
    return contents
        .find(path)
        .orElseThrow(() -> new StartException(ErrorKind.NOT_FOUND, "the package has no " + path))
        .readAll(path, maxBytes);
  }

  /** The same package with another manifest; it must be signed again. */
  public S9pk withManifest(Manifest replacement) {
    return new S9pk(
        replacement,
        contents.with("manifest.json", Entry.file(ManifestJson.write(replacement))),
        archive,
        Optional.empty());
  }

  /** The same package with another tree (manifest.json is kept from the manifest); re-sign. */
  public S9pk withContents(Directory replacement) {
    return new S9pk(
        manifest,
        replacement.with("manifest.json", Entry.file(ManifestJson.write(manifest))),
        archive,
        Optional.empty());
  }

  /**
   * Checks the package for an architecture, or for every one its manifest names (s9pk.md §8), and
   * strips everything not needed there to MISSING. The signature stays valid.
   *
   * @throws StartException VALIDATE_S9PK naming the first rule broken
   */
  public S9pk validateAndFilter(Optional<String> arch) {
    Directory filtered = PackageRules.validateAndFilter(manifest, contents, arch);
    return new S9pk(manifest, filtered, archive, signature);
  }

  /**
   * Writes the package keeping its signature, root in upstream's priority order (as upstream
   * re-serializes a package it read).
   *
   * @throws StartException INVALID_SIGNATURE if it was changed and must be signed again
   */
  public ArchiveHeader writeKeepingSignature(Path out) {
    ArchiveHeader header =
        signature.orElseThrow(() ->
            new StartException(
                ErrorKind.INVALID_SIGNATURE, "the package was changed; it must be signed again"));
    return write(out, new Signing.Keep(header), archive.isPresent());
  }

  /** Writes the package signed with {@code key}. */
  public ArchiveHeader writeSigned(Path out, DeveloperKey key) {
    return write(out, new Signing.Sign(key, CONTEXT), archive.isPresent());
  }

  /**
   * Root order: a package read back is written in upstream's priority order, a new one in name
   * order (s9pk.md §7), so both match upstream byte for byte.
   */
  private ArchiveHeader write(Path out, Signing signing, boolean readBack) {
    ArchiveWriter writer =
        readBack ? new ArchiveWriter(MAGIC, S9pk::priority) : new ArchiveWriter(MAGIC);
    Path target = out.toAbsolutePath();
    Path tmp = null;
    try {
      Files.createDirectories(target.getParent());
      // Not createTempFile: its 0600 would become the package's mode. A new file gets the umask's
      // mode, a replaced one keeps its own.
      tmp =
          target.resolveSibling(
              "."
                  + target.getFileName()
                  + "."
                  + Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36)
                  + ".tmp");
      ArchiveHeader header;
      try (OutputStream o =
          new BufferedOutputStream(
              Files.newOutputStream(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
              1 << 20)) {
        header = writer.write(contents, signing, o);
      }
      if (Files.isRegularFile(target)) {
        Files.setPosixFilePermissions(tmp, Files.getPosixFilePermissions(target));
      }
      try {
        Files.move(
            tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
      }
      tmp = null;
      return header;
    } catch (IOException e) {
      throw new StartException(ErrorKind.FILESYSTEM, "cannot write " + out + ": " + e, e);
    } finally {
      if (tmp != null) {
        try {
          Files.deleteIfExists(tmp);
        } catch (IOException ignored) {
          // the write already failed; that is the error to report
        }
      }
    }
  }

  /** Upstream's {@code priority()} for root entries (s9pk.md §7); unlisted names last. */
  static int priority(String name) {
    return switch (name) {
      case "manifest.json" -> 0;
      case "LICENSE.md" -> 2;
      case "instructions.md" -> 3;
      case "dependencies" -> 4;
      case "javascript.squashfs" -> 5;
      case "assets.squashfs" -> 6;
      case "images" -> 7;
      default -> name.startsWith("icon.") ? 1 : Integer.MAX_VALUE;
    };
  }

  @Override
  public void close() throws IOException {
    if (archive.isPresent()) {
      archive.get().close();
    }
  }
}
