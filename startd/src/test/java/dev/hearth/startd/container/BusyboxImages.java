package dev.hearth.startd.container;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Test images made from Debian's busybox-static, laid out like the real runtime image
 * (container-runtime.md §3.1): the runtime squashfs, whose init at {@code
 * /usr/lib/startos/init/boot} traps TERM, writes a marker into the logs directory, starts {@code
 * httpd} on port 8000 and idles; and a "package" file holding an image squashfs and an assets
 * squashfs at odd offsets, as an {@code .s9pk} holds its images.
 */
record BusyboxImages(Path runtime, Path packageFile, Range image, Range assets) {
  /** A squashfs inside {@link #packageFile}. */
  record Range(long offset, long length) {}

  static final String INIT =
      """
      #!/bin/sh
      # the test runtime: PID 1 of the container
      trap 'exit 0' TERM
      ip link set lo up
      echo "booted as $(id -u) on $(hostname)" > /media/startos/logs/marker
      echo "runtime started" >> /media/startos/logs/runtime.log
      httpd -p 8000 -h /var/www
      while true; do sleep 3600 & wait $!; done
      """;

  static final String PAGE = "hello from a hearth test container\n";

  static BusyboxImages build(Path dir) throws IOException, InterruptedException {
    Path rootfs = busyboxTree(dir.resolve("runtime-tree"));
    for (String d :
        List.of(
            "media/startos/volumes",
            "media/startos/images",
            "media/startos/subcontainers",
            "media/startos/rpc",
            "media/startos/assets",
            "media/startos/backup",
            "media/startos/logs",
            "usr/lib/startos/package",
            "usr/lib/startos/init",
            "var/www")) {
      Files.createDirectories(rootfs.resolve(d));
    }
    Path init = rootfs.resolve("usr/lib/startos/init/boot");
    Files.writeString(init, INIT);
    Files.setPosixFilePermissions(init, PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.writeString(rootfs.resolve("var/www/index.html"), PAGE);
    Path runtime = squash(rootfs, dir.resolve("runtime.squashfs"));

    Path imageTree = busyboxTree(dir.resolve("image-tree"));
    Files.writeString(imageTree.resolve("image-marker"), "from the image\n");
    Path image = squash(imageTree, dir.resolve("image.squashfs"));
    Path assetsTree = Files.createDirectories(dir.resolve("assets-tree"));
    Files.writeString(assetsTree.resolve("asset.txt"), "an asset\n");
    Path assets = squash(assetsTree, dir.resolve("assets.squashfs"));

    // Odd offsets on purpose: images sit at arbitrary byte offsets inside an .s9pk.
    Path pkg = dir.resolve("package.s9pk");
    long imageOffset = 4096 + 13;
    long assetsOffset = imageOffset + Files.size(image) + 501;
    try (OutputStream out = Files.newOutputStream(pkg, StandardOpenOption.CREATE_NEW)) {
      out.write(new byte[(int) imageOffset]);
      Files.copy(image, out);
      out.write(new byte[501]);
      Files.copy(assets, out);
      out.write(new byte[777]);
    }
    return new BusyboxImages(
        runtime,
        pkg,
        new Range(imageOffset, Files.size(image)),
        new Range(assetsOffset, Files.size(assets)));
  }

  /**
   * A runtime image whose init cannot be executed (mode 0644), from the tree {@link #build} left in
   * {@code dir}.
   */
  static Path brokenRuntime(Path dir) throws IOException, InterruptedException {
    Path tree = dir.resolve("runtime-tree");
    Path init = tree.resolve("usr/lib/startos/init/boot");
    Files.setPosixFilePermissions(init, PosixFilePermissions.fromString("rw-r--r--"));
    try {
      return squash(tree, dir.resolve("broken-runtime.squashfs"));
    } finally {
      Files.setPosixFilePermissions(init, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
  }

  private static Path busyboxTree(Path root) throws IOException, InterruptedException {
    for (String d : List.of("bin", "sbin", "etc", "proc", "sys", "dev", "tmp", "run", "root")) {
      Files.createDirectories(root.resolve(d));
    }
    Files.copy(Path.of("/bin/busybox"), root.resolve("bin/busybox"));
    run("chroot", root.toString(), "/bin/busybox", "--install", "-s", "/bin");
    Files.writeString(
        root.resolve("etc/passwd"),
        "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n");
    Files.writeString(root.resolve("etc/group"), "root:x:0:\nnogroup:x:65534:\n");
    Files.writeString(root.resolve("etc/hosts"), "127.0.0.1 localhost\n");
    return root;
  }

  private static Path squash(Path tree, Path out) throws IOException, InterruptedException {
    run(
        "mksquashfs",
        tree.toString(),
        out.toString(),
        "-noappend",
        "-quiet",
        "-all-root",
        "-comp",
        "gzip");
    return out;
  }

  static void run(String... argv) throws IOException, InterruptedException {
    output(argv);
  }

  /** Runs a command that must succeed; its output and errors. */
  static String output(String... argv) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(String.join(" ", argv) + ": " + out).isZero();
    return out;
  }
}
