package dev.hearth.s9pk.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hearth.error.ErrorKind;
import dev.hearth.error.StartException;
import dev.hearth.s9pk.hash.Blake3;
import dev.hearth.s9pk.hash.Blake3Hash;
import dev.hearth.s9pk.sign.DeveloperKey;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every kind of bad archive ends in our format error, naming the thing and the rule broken. */
class BadInputTest {
  private static final byte[] HI = Forge.utf8("hi");

  @Test
  void wrongMagicIsRefused() {
    byte[] b = SpecExample.bytes();
    b[2] = 0x01;
    assertRefused(
        () -> SpecExample.open(b), ErrorKind.PARSE_S9PK, "magic and version 3b3b02 (found 3b3b01)");
  }

  @Test
  void truncationAtEveryLengthIsRefused() {
    byte[] full = SpecExample.bytes();
    for (int len = 0; len < full.length; len++) {
      byte[] cut = Arrays.copyOf(full, len);
      StartException e = openAndReadAll(cut);
      assertThat(e).as("cut at %d", len).isNotNull();
      assertThat(e.kind())
          .as("cut at %d: %s", len, e.getMessage())
          .isIn(ErrorKind.PARSE_S9PK, ErrorKind.INVALID_SIGNATURE);
    }
    assertThat(openAndReadAll(full)).isNull();
  }

  @Test
  void everyBitFlippedInTheHeaderOrATocIsRefused() {
    byte[] full = SpecExample.bytes();
    int bodiesStart = 326; // s9pk.md §13: TOCs end at 326
    for (int i = 0; i < bodiesStart; i++) {
      for (int bit = 0; bit < 8; bit++) {
        byte[] b = full.clone();
        b[i] ^= (byte) (1 << bit);
        StartException e = openAndReadAll(b);
        assertThat(e).as("bit %d of byte %d", bit, i).isNotNull();
        assertThat(e.kind()).isIn(ErrorKind.PARSE_S9PK, ErrorKind.INVALID_SIGNATURE);
      }
    }
  }

  @Test
  void aFlippedBodyByteFailsOnlyTheFileThatHoldsIt() throws IOException {
    byte[] b = SpecExample.bytes();
    b[330] ^= 0x20; // inside d/b.txt ("hello" at 328)
    try (MerkleArchive archive = SpecExample.open(b)) { // opening reads no body
      assertThat(archive.root().find("a.txt").orElseThrow().readAll("a.txt", 10)).isEqualTo(HI);
      Entry bad = archive.root().find("d/b.txt").orElseThrow();
      assertRefused(
          () -> bad.readAll("d/b.txt", 10),
          ErrorKind.INVALID_SIGNATURE,
          "d/b.txt does not match its signed BLAKE3 hash");
      assertRefused(archive::verifyFiles, ErrorKind.INVALID_SIGNATURE, "d/b.txt");
    }
  }

  @Test
  void aWrongSignatureIsRefused() {
    byte[] b = SpecExample.bytes();
    b[3 + 32 + 10] ^= 1;
    assertRefused(
        () -> SpecExample.open(b), ErrorKind.INVALID_SIGNATURE, "signature does not verify");
  }

  @Test
  void anotherKeyInPlaceOfTheSignersIsRefused() {
    byte[] b = SpecExample.bytes();
    byte[] other = DeveloperKey.fromSeed(new byte[32]).publicKey().bytes();
    System.arraycopy(other, 0, b, 3, 32);
    assertRefused(
        () -> SpecExample.open(b),
        ErrorKind.INVALID_SIGNATURE,
        "signature does not verify under its key");
  }

  @Test
  void aSmallOrderKeyWithATrivialSignatureIsRefused() {
    // With A and R the identity and S = 0, the cofactorless equation holds for every message.
    byte[] b = SpecExample.bytes();
    byte[] identity =
        HexFormat.of().parseHex("0100000000000000000000000000000000000000000000000000000000000000");
    System.arraycopy(identity, 0, b, 3, 32);
    System.arraycopy(identity, 0, b, 35, 32);
    Arrays.fill(b, 67, 99, (byte) 0);
    assertRefused(
        () -> SpecExample.open(b), ErrorKind.INVALID_SIGNATURE, "signature does not verify");
  }

  @Test
  void aRootMaxSizeOverOneMebibyteIsRefusedBeforeAnythingIsRead() {
    List<Forge.Raw> entries = List.of(Forge.Raw.file("a", HI, Forge.HEADER_END + 50));
    byte[] b =
        Forge.archive(
            SpecExample.RFC8032_TEST1,
            Forge.sighash(entries),
            1L << 40,
            Forge.HEADER_END,
            1L << 40,
            new byte[0]);
    assertRefused(
        () -> SpecExample.open(b),
        ErrorKind.PARSE_S9PK,
        "root max size 1099511627776 exceeds the 1048576-byte limit");
  }

  @Test
  void aFileDeclaredFarLargerThanTheArchiveIsRefusedOnOpen() {
    byte[] toc0 = Forge.toc(List.of(Forge.Raw.file("a", HI, 0)));
    Forge.Raw huge =
        new Forge.Raw(
            Forge.utf8("a"), Blake3.hash(HI), 1L << 50, 1, Forge.HEADER_END + toc0.length, 0);
    byte[] b = Forge.rootOnly(List.of(huge), HI);
    assertRefused(() -> SpecExample.open(b), ErrorKind.PARSE_S9PK, "file a claims bytes");
  }

  @Test
  void aDirectoryTocPointingOutsideTheArchiveIsRefused() {
    Forge.Raw d = Forge.Raw.dir("d", Blake3.hash(new byte[] {0}), 1, 1_000_000, 1);
    assertRefused(
        () -> SpecExample.open(Forge.rootOnly(List.of(d), new byte[0])),
        ErrorKind.PARSE_S9PK,
        "directory d's TOC claims bytes 1000000..1000001");
  }

  @Test
  void aDirectoryTocLargerThanAnyLimitIsRefusedBeforeItIsRead() {
    Forge.Raw d =
        Forge.Raw.dir("d", Blake3.hash(new byte[] {0}), 1L << 40, Forge.HEADER_END, 1L << 40);
    assertRefused(
        () -> SpecExample.open(Forge.rootOnly(List.of(d), new byte[0])),
        ErrorKind.PARSE_S9PK,
        "-byte TOC, over the limit");
  }

  @Test
  void aDirectoryPointingAtItsOwnTocIsRefusedWithoutWalkingTheLoop() {
    // The child's entry points at the root TOC itself; its hash cannot be that TOC's sighash.
    int rootTocSize = Forge.toc(List.of(Forge.Raw.dir("d", Blake3.hash(HI), 0, 0, 0))).length;
    Forge.Raw loop =
        Forge.Raw.dir("d", Blake3.hash(HI), rootTocSize, Forge.HEADER_END, rootTocSize);
    assertRefused(
        () -> SpecExample.open(Forge.rootOnly(List.of(loop), new byte[0])),
        ErrorKind.INVALID_SIGNATURE,
        "directory d's TOC does not match its signed hash");
  }

  @Test
  void duplicateNamesAreRefused() {
    long pos =
        Forge.HEADER_END
            + Forge.toc(List.of(Forge.Raw.file("a", HI, 0), Forge.Raw.file("a", HI, 0))).length;
    byte[] b =
        Forge.rootOnly(List.of(Forge.Raw.file("a", HI, pos), Forge.Raw.file("a", HI, pos)), HI);
    assertRefused(() -> SpecExample.open(b), ErrorKind.PARSE_S9PK, "two entries named \"a\"");
  }

  @Test
  void namesThatAreNotOnePathSegmentAreRefused() {
    Map<String, String> cases =
        Map.of(
            "a/b", "contains '/'",
            "..", "would leave its directory",
            ".", "would leave its directory",
            "a\0b", "contains a control character",
            "a\nb", "contains a control character",
            "\u001b[2Jfake", "contains a control character",
            "", "is empty");
    cases.forEach((name, rule) -> {
      long pos = Forge.HEADER_END + Forge.toc(List.of(Forge.Raw.file(name, HI, 0))).length;
      byte[] b = Forge.rootOnly(List.of(Forge.Raw.file(name, HI, pos)), HI);
      assertRefused(() -> SpecExample.open(b), ErrorKind.PARSE_S9PK, rule);
    });
  }

  @Test
  void aNameOverNameMaxIsRefusedBeforeItIsDecoded() {
    String name = "n".repeat(256);
    long pos = Forge.HEADER_END + Forge.toc(List.of(Forge.Raw.file(name, HI, 0))).length;
    byte[] b = Forge.rootOnly(List.of(Forge.Raw.file(name, HI, pos)), HI);
    assertRefused(() -> SpecExample.open(b), ErrorKind.PARSE_S9PK, "255-byte limit");

    String longest = "é".repeat(127) + "n"; // 255 bytes: allowed
    long at = Forge.HEADER_END + Forge.toc(List.of(Forge.Raw.file(longest, HI, 0))).length;
    try (MerkleArchive ok =
        SpecExample.open(Forge.rootOnly(List.of(Forge.Raw.file(longest, HI, at)), HI))) {
      assertThat(ok.root().entries()).containsOnlyKeys(longest);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void aPathOverPathMaxIsRefused() throws IOException {
    // 16 levels of 255-byte names plus separators: 4096 bytes before the leaf's name.
    Directory dir = Directory.of(Map.of("leaf", Entry.file(HI)));
    for (int i = 0; i < 16; i++) {
      dir = Directory.of(Map.of(("d" + i).repeat(128).substring(0, 255), Entry.directory(dir)));
    }
    byte[] deep =
        SpecExample.write(dir, new Signing.Sign(SpecExample.RFC8032_TEST1, SpecExample.CONTEXT));
    assertRefused(() -> SpecExample.open(deep), ErrorKind.PARSE_S9PK, "path is over 4096 bytes");
  }

  @Test
  void entriesSharingBytesAreRefused() {
    // A small package whose entries all point at one body would verify as many times its size.
    List<Forge.Raw> probe = List.of(Forge.Raw.file("a", HI, 0), Forge.Raw.file("b", HI, 0));
    long pos = Forge.HEADER_END + Forge.toc(probe).length;
    byte[] shared =
        Forge.rootOnly(List.of(Forge.Raw.file("a", HI, pos), Forge.Raw.file("b", HI, pos)), HI);
    assertRefused(() -> SpecExample.open(shared), ErrorKind.PARSE_S9PK, "overlapping bytes");

    byte[] overlapping =
        Forge.rootOnly(
            List.of(Forge.Raw.file("a", Forge.utf8("hi!"), pos), Forge.Raw.file("b", HI, pos + 1)),
            Forge.utf8("hi!"));
    assertRefused(() -> SpecExample.open(overlapping), ErrorKind.PARSE_S9PK, "overlapping bytes");

    // A file whose bytes are the root TOC's own.
    byte[] toc = Forge.toc(List.of(Forge.Raw.file("a", HI, 0)));
    byte[] intoToc =
        Forge.rootOnly(
            List.of(new Forge.Raw(Forge.utf8("a"), Blake3.hash(HI), 2, 1, Forge.HEADER_END, 0)),
            new byte[0]);
    assertThat(toc.length).isGreaterThan(2);
    assertRefused(() -> SpecExample.open(intoToc), ErrorKind.PARSE_S9PK, "overlapping bytes");
  }

  @Test
  void emptyFilesMayShareAPosition() throws IOException {
    byte[] none = new byte[0];
    List<Forge.Raw> probe = List.of(Forge.Raw.file("a", none, 0), Forge.Raw.file("b", none, 0));
    long pos = Forge.HEADER_END + Forge.toc(probe).length;
    byte[] b =
        Forge.rootOnly(
            List.of(Forge.Raw.file("a", none, pos), Forge.Raw.file("b", none, pos)), none);
    try (MerkleArchive archive = SpecExample.open(b)) {
      archive.verifyFiles();
      assertThat(archive.root().entries()).containsOnlyKeys("a", "b");
    }
  }

  @Test
  void aPackageFileTruncatedAfterOpeningFailsVerificationWithAnError(@TempDir Path dir)
      throws IOException {
    for (int mib : new int[] {3, 12}) { // one buffer, and reading ahead on another thread
      byte[] body = new byte[mib << 20];
      new java.util.Random(mib).nextBytes(body);
      Directory root = Directory.of(Map.of("big", Entry.file(body)));
      Path file = dir.resolve(mib + ".s9pk");
      Files.write(
          file,
          SpecExample.write(
              root, new Signing.Sign(SpecExample.RFC8032_TEST1, SpecExample.CONTEXT)));
      try (MerkleArchive archive =
          MerkleArchive.open(
              ArchiveSource.of(file),
              SpecExample.MAGIC,
              SpecExample.CONTEXT,
              java.util.Optional.empty(),
              Limits.DEFAULT)) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
          ch.truncate(1 << 20);
        }
        // Mapped and hashed natively, reading past the new end would be a SIGBUS, not an error.
        assertRefused(archive::verifyFiles, ErrorKind.FILESYSTEM, "cannot read big");
      }
    }
  }

  @Test
  void aNameThatIsNotUtf8IsRefused() {
    Forge.Raw bad = new Forge.Raw(new byte[] {(byte) 0xc3, 0x28}, Blake3.hash(HI), 2, 1, 0, 0);
    assertRefused(
        () -> SpecExample.open(Forge.rootOnly(List.of(bad), HI)),
        ErrorKind.PARSE_S9PK,
        "not valid UTF-8");
  }

  @Test
  void anUnknownEntryTypeIsRefused() {
    Forge.Raw bad = new Forge.Raw(Forge.utf8("x"), Blake3.hash(HI), 2, 7, 0, 0);
    assertRefused(
        () -> SpecExample.open(Forge.rootOnly(List.of(bad), HI)),
        ErrorKind.PARSE_S9PK,
        "unknown type id 7");
  }

  @Test
  void anEntryCountBeyondTheTocIsRefusedBeforeAllocating() {
    byte[] toc = {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x0f};
    byte[] b =
        Forge.archive(
            SpecExample.RFC8032_TEST1,
            Blake3.hash(toc),
            toc.length,
            Forge.HEADER_END,
            toc.length,
            toc);
    assertRefused(() -> SpecExample.open(b), ErrorKind.PARSE_S9PK, "declares 4294967295 entries");
  }

  @Test
  void anUnterminatedVarintIsRefused() {
    byte[] toc = new byte[11];
    Arrays.fill(toc, (byte) 0x80);
    byte[] b =
        Forge.archive(
            SpecExample.RFC8032_TEST1,
            Blake3.hash(toc),
            toc.length,
            Forge.HEADER_END,
            toc.length,
            toc);
    assertRefused(() -> SpecExample.open(b), ErrorKind.PARSE_S9PK, "varint");
  }

  @Test
  void bytesAfterTheLastTocEntryAreRefused() {
    List<Forge.Raw> entries = List.of(Forge.Raw.file("a", HI, Forge.HEADER_END + 100));
    byte[] toc = Forge.toc(entries);
    byte[] padded = Arrays.copyOf(toc, toc.length + 3);
    byte[] body = Arrays.copyOf(padded, 100 + 2);
    System.arraycopy(HI, 0, body, 100, 2);
    byte[] b =
        Forge.archive(
            SpecExample.RFC8032_TEST1,
            Forge.sighash(entries),
            padded.length,
            Forge.HEADER_END,
            padded.length,
            body);
    assertRefused(() -> SpecExample.open(b), ErrorKind.PARSE_S9PK, "3 bytes after its last entry");
  }

  @Test
  void absurdNestingDepthIsRefused() throws IOException {
    Directory dir = Directory.of(Map.of("leaf", Entry.file(HI)));
    for (int i = 0; i < 40; i++) {
      dir = Directory.of(Map.of("n", Entry.directory(dir)));
    }
    byte[] deep =
        SpecExample.write(dir, new Signing.Sign(SpecExample.RFC8032_TEST1, SpecExample.CONTEXT));
    assertRefused(
        () -> SpecExample.open(deep),
        ErrorKind.PARSE_S9PK,
        "nested 33 directories deep; the limit is 32");
  }

  @Test
  void aCommitmentThatDoesNotMatchIsRefused() {
    Commitment other = new Commitment(Blake3Hash.fromHex("00".repeat(32)), 115);
    assertRefused(
        () ->
            MerkleArchive.open(
                ArchiveSource.of(SpecExample.bytes()),
                SpecExample.MAGIC,
                SpecExample.CONTEXT,
                java.util.Optional.of(other),
                Limits.DEFAULT),
        ErrorKind.INVALID_SIGNATURE,
        "is not the expected");
  }

  /** Opens and reads every file; null if all of it verified. */
  static StartException openAndReadAll(byte[] bytes) {
    try (MerkleArchive archive = SpecExample.open(bytes)) {
      for (String path : archive.root().paths()) {
        Entry e = archive.root().find(path).orElseThrow();
        if (e.isFile()) {
          try (InputStream in = e.open(path)) {
            in.readAllBytes();
          }
        }
      }
      return null;
    } catch (StartException e) {
      return e;
    } catch (IOException e) {
      throw new AssertionError("an I/O error instead of a format error", e);
    }
  }

  static void assertRefused(ThrowingCallable call, ErrorKind kind, String messagePart) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(
            StartException.class,
            e -> {
              assertThat(e.kind()).as(e.getMessage()).isEqualTo(kind);
              assertThat(e.getMessage()).contains(messagePart);
            });
  }
}
