package dev.hearth.s9pk.archive;

import dev.hearth.error.ErrorKind;
import dev.hearth.error.StartException;
import dev.hearth.s9pk.hash.Blake3;
import dev.hearth.s9pk.hash.Blake3Hash;
import dev.hearth.s9pk.sign.SignerKey;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * An opened, verified merkle archive (s9pk.md §6). {@link #open} reads the prefix and header,
 * checks the signature, then reads every table of contents, checking each against the hash its
 * parent signed <em>before</em> following any position in it, so a loop or a forged subtree is
 * refused before it is walked. File bodies are not read: {@link Entry#open} verifies one as it
 * streams, and {@link #verifyFiles()} checks them all.
 *
 * <p>Thread-safe once opened (the tree is immutable, the source uses positional reads). Closing it
 * closes the source; entries read afterwards fail.
 */
public final class MerkleArchive implements Closeable {
  private final ArchiveSource source;
  private final ArchiveHeader header;
  private final Directory root;

  private MerkleArchive(ArchiveSource source, ArchiveHeader header, Directory root) {
    this.source = source;
    this.header = header;
    this.root = root;
  }

  /**
   * Opens and verifies everything but file bodies. On failure the source is closed.
   *
   * @param magic the bytes the file must start with (for packages {@code 3B 3B 02})
   * @param context the Ed25519ph context (for packages {@code s9pk})
   * @param expected a registry's commitment to check against, or empty (then the root TOC may be at
   *     most {@link Limits#maxRootToc()})
   * @throws StartException PARSE_S9PK if malformed or over a limit, INVALID_SIGNATURE if the
   *     signature or a hash does not match, FILESYSTEM if reading fails
   */
  public static MerkleArchive open(
      ArchiveSource source,
      byte[] magic,
      String context,
      Optional<Commitment> expected,
      Limits limits) {
    try {
      return new Opening(source, magic.length, limits).open(magic, context, expected);
    } catch (RuntimeException e) {
      closeQuietly(source);
      throw e;
    } catch (IOException e) {
      closeQuietly(source);
      throw new StartException(ErrorKind.FILESYSTEM, "cannot read " + source + ": " + e, e);
    }
  }

  public ArchiveHeader header() {
    return header;
  }

  public SignerKey signer() {
    return header.signer();
  }

  public Commitment commitment() {
    return header.commitment();
  }

  public Directory root() {
    return root;
  }

  public ArchiveSource source() {
    return source;
  }

  /**
   * Reads and checks every file body (hash and size).
   *
   * @throws StartException INVALID_SIGNATURE naming the first file whose bytes do not match
   */
  public void verifyFiles() {
    verify(root, "");
  }

  private void verify(Directory dir, String prefix) {
    for (Map.Entry<String, Entry> e : dir.entries().entrySet()) {
      String path = prefix + e.getKey();
      switch (e.getValue().contents()) {
        case Contents.Dir(Directory child) -> verify(child, path + "/");
        case Contents.File(FileData.InArchive(ArchiveSource s, long position, long length))
            when s.channel().isPresent() -> {
          try {
            // Positional reads, not a mapping: if the file shrinks under us, a mapped page read
            // by native code would kill the process with SIGBUS instead of raising an error.
            Blake3Hash actual =
                Blake3.hashRange(s.channel().get(), position, length, Blake3.FileRead.READ);
            if (!actual.equals(e.getValue().hash())) {
              throw ArchiveError.notSigned(path + " does not match its signed BLAKE3 hash");
            }
          } catch (IOException ex) {
            throw new StartException(ErrorKind.FILESYSTEM, "cannot read " + path + ": " + ex, ex);
          }
        }
        case Contents.File f -> {
          try (InputStream in = e.getValue().open(path)) {
            in.transferTo(OutputStreamSink.INSTANCE);
          } catch (IOException ex) {
            throw new StartException(ErrorKind.FILESYSTEM, "cannot read " + path + ": " + ex, ex);
          }
        }
        case Contents.Missing m -> {}
      }
    }
  }

  @Override
  public void close() throws IOException {
    source.close();
  }

  private static void closeQuietly(ArchiveSource source) {
    try {
      source.close();
    } catch (IOException ignored) {
      // the open failed already; that error is the one to report
    }
  }

  /** A sink for bytes read only to be verified. */
  private static final class OutputStreamSink extends java.io.OutputStream {
    static final OutputStreamSink INSTANCE = new OutputStreamSink();

    @Override
    public void write(int b) {}

    @Override
    public void write(byte[] b, int off, int len) {}
  }

  /** The state of one open: the TOC budget spent so far. */
  private static final class Opening {
    private final ArchiveSource source;
    private final int prefix;
    private final Limits limits;
    private final long length;
    private final Extents extents = new Extents();
    private long tocBytes;

    Opening(ArchiveSource source, int prefix, Limits limits) {
      this.source = source;
      this.prefix = prefix;
      this.limits = limits;
      this.length = source.size();
    }

    MerkleArchive open(byte[] magic, String context, Optional<Commitment> expected)
        throws IOException {
      int headerEnd = prefix + ArchiveHeader.SIZE;
      if (length < headerEnd) {
        throw ArchiveError.malformed(
            "the archive is "
                + length
                + " bytes, shorter than its "
                + headerEnd
                + "-byte prefix and header");
      }
      ByteBuffer head = ByteBuffer.wrap(source.readFully(0, headerEnd));
      byte[] found = new byte[prefix];
      head.get(found);
      if (!Arrays.equals(found, magic)) {
        throw ArchiveError.malformed(
            "the file does not start with the magic and version "
                + HexFormat.of().formatHex(magic)
                + " (found "
                + HexFormat.of().formatHex(found)
                + ")");
      }
      byte[] pub = new byte[32];
      byte[] sig = new byte[64];
      byte[] sighash = new byte[32];
      head.get(pub).get(sig).get(sighash);
      long maxSize = head.getLong();
      long rootPosition = head.getLong();
      long rootSize = head.getLong();
      if (maxSize < 0) {
        throw ArchiveError.malformed(
            "the root max size " + Long.toUnsignedString(maxSize) + " is beyond 2^63-1");
      }
      ArchiveHeader header =
          new ArchiveHeader(
              new SignerKey(pub), sig, new Commitment(new Blake3Hash(sighash), maxSize));
      if (!header.verifies(context)) {
        throw ArchiveError.notSigned(
            "the header's signature does not verify under its key "
                + header.signer().hex()
                + " (Ed25519ph, context \""
                + context
                + "\")");
      }
      if (expected.isPresent()) {
        Commitment want = expected.get();
        if (!want.rootSighash().equals(header.commitment().rootSighash())) {
          throw ArchiveError.notSigned(
              "the root sighash "
                  + header.commitment().rootSighash().base64()
                  + " is not the expected "
                  + want.rootSighash().base64());
        }
        if (maxSize > want.rootMaxsize()) {
          throw ArchiveError.malformed(
              "the root max size " + maxSize + " exceeds the expected " + want.rootMaxsize());
        }
      } else if (maxSize > limits.maxRootToc()) {
        throw ArchiveError.malformed(
            "the root max size "
                + maxSize
                + " exceeds the "
                + limits.maxRootToc()
                + "-byte limit for an archive without a commitment");
      }
      if (rootSize < 0 || rootSize > maxSize) {
        throw ArchiveError.malformed(
            "the root TOC size "
                + Long.toUnsignedString(rootSize)
                + " exceeds the signed root max size "
                + maxSize);
      }
      Directory root =
          directory(
              "the root directory",
              "",
              rootPosition,
              rootSize,
              header.commitment().rootSighash(),
              0);
      extents.requireDisjoint();
      return new MerkleArchive(source, header, root);
    }

    /**
     * Reads one directory. {@code path} is its path from the root with a trailing slash (empty for
     * the root); entry paths are only built into strings when an error names them.
     */
    private Directory directory(
        String where, String path, long position, long tocSize, Blake3Hash signed, int depth)
        throws IOException {
      if (depth > limits.maxDepth()) {
        throw ArchiveError.malformed(
            where + " is nested " + depth + " directories deep; the limit is " + limits.maxDepth());
      }
      if (tocSize > limits.maxToc() || tocBytes + tocSize > limits.maxTotalToc()) {
        throw ArchiveError.malformed(
            where
                + " has a "
                + tocSize
                + "-byte TOC, over the limit of "
                + limits.maxToc()
                + " bytes per directory and "
                + limits.maxTotalToc()
                + " in all");
      }
      checkExtent(where + "'s TOC", position, tocSize);
      extents.add(position, tocSize);
      tocBytes += tocSize;
      byte[] toc = source.readFully(position, (int) tocSize);
      TreeMap<String, TocParser.Raw> raw = TocParser.parse(toc, where);
      // Checked before any position inside is followed: a forged or looping TOC stops here.
      if (!TocParser.sighash(raw).equals(signed)) {
        throw ArchiveError.notSigned(where + "'s TOC does not match its signed hash");
      }
      Map<String, Entry> entries = new LinkedHashMap<>();
      int pathBytes = Names.utf8Length(path);
      for (Map.Entry<String, TocParser.Raw> e : raw.entrySet()) {
        String name = e.getKey();
        TocParser.Raw r = e.getValue();
        if (pathBytes + Names.utf8Length(name) > Names.MAX_PATH_BYTES) {
          throw ArchiveError.malformed(
              where + " has an entry whose path is over " + Names.MAX_PATH_BYTES + " bytes");
        }
        Contents contents =
            switch (r.type()) {
              case Toc.TYPE_FILE -> {
                if (!inBody(r.position(), r.size())) {
                  checkExtent("file " + path + name, r.position(), r.size());
                }
                extents.add(r.position(), r.size());
                yield new Contents.File(new FileData.InArchive(source, r.position(), r.size()));
              }
              case Toc.TYPE_DIRECTORY -> {
                String child = path + name;
                if (r.tocSize() > r.size()) {
                  throw ArchiveError.malformed(
                      "directory "
                          + child
                          + " has a "
                          + r.tocSize()
                          + "-byte TOC, more than its signed "
                          + r.size());
                }
                yield new Contents.Dir(
                    directory(
                        "directory " + child,
                        child + "/",
                        r.position(),
                        r.tocSize(),
                        r.hash(),
                        depth + 1));
              }
              default -> new Contents.Missing();
            };
        entries.put(name, new Entry(r.hash(), r.size(), contents));
      }
      return Directory.of(entries);
    }

    private boolean inBody(long position, long size) {
      return position >= prefix + ArchiveHeader.SIZE
          && position <= length
          && size <= length - position;
    }

    private void checkExtent(String what, long position, long size) {
      if (!inBody(position, size)) {
        throw ArchiveError.malformed(
            what
                + " claims bytes "
                + position
                + ".."
                + Long.toUnsignedString(position + size)
                + ", outside the archive's body ("
                + (prefix + ArchiveHeader.SIZE)
                + ".."
                + length
                + ")");
      }
    }
  }
}
