package dev.hearth.s9pk.pack;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/** An image layer a test writes entry by entry, as a registry might serve it. */
final class TestLayer {
  enum Compression {
    NONE("application/vnd.oci.image.layer.v1.tar"),
    GZIP("application/vnd.oci.image.layer.v1.tar+gzip"),
    ZSTD("application/vnd.oci.image.layer.v1.tar+zstd");

    final String mediaType;

    Compression(String mediaType) {
      this.mediaType = mediaType;
    }
  }

  private final ByteArrayOutputStream tarBytes = new ByteArrayOutputStream();
  private final TarArchiveOutputStream tar;

  TestLayer() {
    tar = new TarArchiveOutputStream(tarBytes, "UTF-8");
    tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
  }

  TestLayer dir(String name, int mode, int uid, int gid) {
    TarArchiveEntry e = new TarArchiveEntry(name.endsWith("/") ? name : name + "/");
    return put(e, mode, uid, gid, null);
  }

  TestLayer file(String name, String content, int mode, int uid, int gid) {
    TarArchiveEntry e = new TarArchiveEntry(name);
    return put(e, mode, uid, gid, content.getBytes(StandardCharsets.UTF_8));
  }

  TestLayer symlink(String name, String target) {
    TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_SYMLINK);
    e.setLinkName(target);
    return put(e, 0777, 0, 0, null);
  }

  TestLayer hardlink(String name, String target) {
    TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_LINK);
    e.setLinkName(target);
    return put(e, 0644, 0, 0, null);
  }

  TestLayer whiteout(String dir, String name) {
    return file((dir.isEmpty() ? "" : dir + "/") + ".wh." + name, "", 0644, 0, 0);
  }

  TestLayer opaque(String dir) {
    return file(dir + "/.wh..wh..opq", "", 0644, 0, 0);
  }

  TestLayer charDevice(String name, int major, int minor) {
    TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_CHR);
    e.setDevMajor(major);
    e.setDevMinor(minor);
    return put(e, 0600, 0, 0, null);
  }

  /** A member whose raw name is taken as given (absolute, with "..", …). */
  TestLayer raw(String name, String content) {
    TarArchiveEntry e = new TarArchiveEntry(name, true);
    return put(e, 0644, 0, 0, content.getBytes(StandardCharsets.UTF_8));
  }

  private TestLayer put(TarArchiveEntry e, int mode, int uid, int gid, byte[] content) {
    try {
      e.setMode((e.getMode() & ~07777) | mode);
      e.setUserId(uid);
      e.setGroupId(gid);
      if (content != null) {
        e.setSize(content.length);
      }
      tar.putArchiveEntry(e);
      if (content != null) {
        tar.write(content);
      }
      tar.closeArchiveEntry();
      return this;
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    }
  }

  byte[] bytes(Compression c) {
    try {
      tar.finish();
      byte[] plain = tarBytes.toByteArray();
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      try (OutputStream o =
          switch (c) {
            case NONE -> out;
            case GZIP -> new GZIPOutputStream(out);
            case ZSTD -> new io.airlift.compress.zstd.ZstdOutputStream(out);
          }) {
        o.write(plain);
      }
      return out.toByteArray();
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    }
  }
}
