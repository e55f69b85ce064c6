package dev.hearth.s9pk.pack;

import dev.hearth.error.ErrorKind;
import dev.hearth.error.StartException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;

/**
 * The per-user cache of pulled images: one OCI image layout, so layers are stored once by digest
 * and a second pack of the same image fetches only its manifest. It lives in {@code
 * $XDG_CACHE_HOME/hearth/oci} ({@code ~/.cache/hearth/oci}), or where the system property {@code
 * hearth.ociCache} says (tests). Writers take an exclusive lock on {@code .lock} so concurrent
 * packs never interleave their updates of {@code index.json}; blobs are never removed, so a reader
 * that holds a verified blob path keeps a valid file.
 */
record OciCache(Path dir) {
  static OciCache forUser() {
    String override = System.getProperty("hearth.ociCache");
    if (override != null && !override.isBlank()) {
      return new OciCache(Path.of(override));
    }
    Map<String, String> env = System.getenv();
    String xdg = env.get("XDG_CACHE_HOME");
    Path base =
        xdg != null && xdg.startsWith("/")
            ? Path.of(xdg)
            : Path.of(System.getProperty("user.home"), ".cache");
    return new OciCache(base.resolve("hearth").resolve("oci"));
  }

  /** The tag under which an image reference is kept for one architecture. */
  static String refName(String image, String ociArch) {
    try {
      byte[] h =
          MessageDigest.getInstance("SHA-256").digest(image.getBytes(StandardCharsets.UTF_8));
      return ociArch.toLowerCase(Locale.ROOT) + "-" + HexFormat.of().formatHex(h, 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Work that holds the cache's lock. */
  interface Locked<T> {
    T run();
  }

  <T> T locked(Locked<T> work) {
    try {
      Files.createDirectories(dir);
      try (FileChannel ch =
              FileChannel.open(
                  dir.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
          FileLock lock = ch.lock()) {
        return work.run();
      }
    } catch (IOException e) {
      throw new StartException(
          ErrorKind.FILESYSTEM, "cannot lock the image cache " + dir + ": " + e, e);
    }
  }
}
