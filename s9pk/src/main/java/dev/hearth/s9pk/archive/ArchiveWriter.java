package dev.hearth.s9pk.archive;

import dev.hearth.error.ErrorKind;
import dev.hearth.error.StartException;
import dev.hearth.s9pk.hash.Blake3Hash;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.ToIntFunction;

/**
 * Writes an archive with upstream's physical layout (s9pk.md §7), so the same tree and key give the
 * same bytes as upstream: prefix, header, root TOC, then a breadth-first queue. While a TOC is
 * written each present child gets the next free offset and joins the queue; draining the queue
 * writes file bodies and child TOCs, which enqueue their own children. Within a TOC directories
 * come first, then files, then MISSING entries; directories and files in name order, or for the
 * root in the order of a priority function when one is given.
 *
 * <p>File bodies are verified against their entries while they are copied, so a file that changed
 * after it was hashed fails the write instead of producing an archive that does not verify.
 */
public final class ArchiveWriter {
  private final byte[] magic;
  private final ToIntFunction<String> rootPriority;

  /**
   * @param rootPriority orders the root's directories and files (lower first); {@code name -> 0}
   *     keeps name order
   */
  public ArchiveWriter(byte[] magic, ToIntFunction<String> rootPriority) {
    this.magic = magic.clone();
    this.rootPriority = rootPriority;
  }

  /** Name order everywhere, as for a freshly packed archive. */
  public ArchiveWriter(byte[] magic) {
    this(magic, name -> 0);
  }

  /**
   * Writes the archive and returns its header.
   *
   * @throws StartException INVALID_SIGNATURE if {@link Signing.Keep} does not fit the tree,
   *     FILESYSTEM if writing or reading a body fails
   */
  public ArchiveHeader write(Directory root, Signing signing, OutputStream out) {
    Blake3Hash sighash = Toc.sighash(root);
    long rootTocSize = Toc.size(root);
    ArchiveHeader header =
        switch (signing) {
          case Signing.Sign(var key, var context) -> {
            Commitment c = new Commitment(sighash, rootTocSize);
            yield new ArchiveHeader(
                key.publicKey(), key.signPrehashed(c.signedMessage(), context), c);
          }
          case Signing.Keep(ArchiveHeader kept) -> {
            if (!kept.commitment().rootSighash().equals(sighash)) {
              throw new StartException(
                  ErrorKind.INVALID_SIGNATURE,
                  "the archive's contents changed since it was signed; it must be signed again");
            }
            if (rootTocSize > kept.commitment().rootMaxsize()) {
              throw new StartException(
                  ErrorKind.INVALID_SIGNATURE,
                  "the root TOC grew past its signed size; the archive must be signed again");
            }
            yield kept;
          }
        };
    try {
      new Layout(out).write(root, header, rootTocSize);
      out.flush();
    } catch (IOException e) {
      throw new StartException(ErrorKind.FILESYSTEM, "cannot write the archive: " + e, e);
    }
    return header;
  }

  /** One write in progress: the next free offset and the queue of bodies to write. */
  private final class Layout {
    private final OutputStream out;
    private final ArrayDeque<Pending> queue = new ArrayDeque<>();
    private long written;
    private long next;

    record Pending(String path, Entry entry, long position) {}

    Layout(OutputStream out) {
      this.out = out;
    }

    void write(Directory root, ArchiveHeader header, long rootTocSize) throws IOException {
      long rootPosition = magic.length + ArchiveHeader.SIZE;
      ByteArrayOutputStream head = new ByteArrayOutputStream();
      head.writeBytes(magic);
      head.writeBytes(header.signer().bytes());
      head.writeBytes(header.signature());
      head.writeBytes(header.commitment().rootSighash().bytes());
      Toc.writeU64(head, header.commitment().rootMaxsize());
      Toc.writeU64(head, rootPosition);
      Toc.writeU64(head, rootTocSize);
      emit(head.toByteArray());
      next = rootPosition + rootTocSize;
      writeToc("", root, rootPriority);
      while (!queue.isEmpty()) {
        Pending p = queue.removeFirst();
        if (written != p.position) {
          throw new IllegalStateException("layout drift at " + p.path);
        }
        switch (p.entry.contents()) {
          case Contents.File f -> copy(p.path, p.entry);
          case Contents.Dir(Directory d) -> writeToc(p.path + "/", d, name -> 0);
          case Contents.Missing m ->
              throw new IllegalStateException("a MISSING entry is never queued");
        }
      }
    }

    private void writeToc(String prefix, Directory dir, ToIntFunction<String> priority)
        throws IOException {
      List<Map.Entry<String, Entry>> ordered = new ArrayList<>(dir.entries().entrySet());
      Comparator<Map.Entry<String, Entry>> order =
          Comparator.<Map.Entry<String, Entry>>comparingInt(e -> rank(e.getValue()))
              .thenComparingInt(
                  e -> e.getValue().isMissing() ? 0 : priority.applyAsInt(e.getKey()));
      ordered.sort(order); // stable: name order within equal keys
      ByteArrayOutputStream toc = new ByteArrayOutputStream();
      Varint.write(toc, ordered.size());
      for (Map.Entry<String, Entry> e : ordered) {
        Entry entry = e.getValue();
        Toc.writeHeader(toc, e.getKey(), entry, Toc.type(entry.contents()));
        switch (entry.contents()) {
          case Contents.File f -> {
            Toc.writeU64(toc, next);
            queue.addLast(new Pending(prefix + e.getKey(), entry, next));
            next += entry.size();
          }
          case Contents.Dir(Directory child) -> {
            long childSize = Toc.size(child);
            Toc.writeU64(toc, next);
            Toc.writeU64(toc, childSize);
            queue.addLast(new Pending(prefix + e.getKey(), entry, next));
            next += childSize;
          }
          case Contents.Missing m -> {}
        }
      }
      emit(toc.toByteArray());
    }

    private void copy(String path, Entry entry) throws IOException {
      try (InputStream in = entry.open(path)) {
        byte[] buf = new byte[1 << 20];
        for (int n; (n = in.read(buf)) > 0; ) {
          out.write(buf, 0, n);
          written += n;
        }
      }
    }

    private void emit(byte[] bytes) throws IOException {
      out.write(bytes);
      written += bytes.length;
    }
  }

  private static int rank(Entry e) {
    return switch (e.contents()) {
      case Contents.Dir d -> 0;
      case Contents.File f -> 1;
      case Contents.Missing m -> 2;
    };
  }
}
