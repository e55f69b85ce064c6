package dev.hearth.startd.container;

import dev.hearth.error.ErrorKind;
import dev.hearth.error.StartException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Puts a spec's mounts in place before the container starts. Images are mounted on the host under
 * the container's mount directory, which the container never sees, and handed to LXC as bind
 * entries that it makes inside the container's mount namespace: nothing is mounted into the rootfs
 * on the host, and the host-side mount of an image stays a trustworthy lower layer for
 * subcontainers (a path inside the rootfs would not be, since the container controls it).
 */
final class SpecMounts {
  /**
   * The result.
   *
   * @param entries LXC bind entries, in spec order
   * @param images host mount of each {@link ContainerMount.Squashfs}, by where the container sees
   *     it
   * @param files the files to write into the rootfs
   */
  record Prepared(
      List<LxcConfig.Entry> entries,
      Map<ContainerPath, Path> images,
      List<ContainerMount.File> files) {}

  private SpecMounts() {}

  static Prepared prepare(
      Host host, ContainerDirs dirs, ContainerIds ids, List<ContainerMount> mounts) {
    List<LxcConfig.Entry> entries = new ArrayList<>();
    Map<ContainerPath, Path> images = new HashMap<>();
    List<ContainerMount.File> files = new ArrayList<>();
    int n = 0;
    for (ContainerMount m : mounts) {
      n++;
      switch (m) {
        case ContainerMount.Squashfs s -> {
          Path image =
              idmappedImage(host, dirs, ids, s.file(), s.offset(), s.length(), "image-" + n);
          entries.add(new LxcConfig.Entry(image, s.at(), Access.READ_ONLY));
          images.put(s.at(), image);
        }
        case ContainerMount.OverlayOnSquashfs o -> {
          String id = "asset-" + n;
          Path lower =
              idmappedImage(host, dirs, ids, o.file(), o.offset(), o.length(), id + "-lower");
          Path upper = Ownership.containerDir(dirs.upper(id), ids);
          Path work = Ownership.hostDir(dirs.work(id));
          Path at = Ownership.hostDir(dirs.mount(id));
          try (Fd overlay = host.mounts().overlay(lower, upper, work)) {
            host.mounts().attach(overlay, at);
          }
          entries.add(new LxcConfig.Entry(at, o.at(), Access.READ_WRITE));
        }
        case ContainerMount.Bind b -> {
          if (!Files.isDirectory(b.hostDir())) {
            throw new StartException(
                ErrorKind.NOT_FOUND, "the directory " + b.hostDir() + " to bind does not exist");
          }
          entries.add(new LxcConfig.Entry(b.hostDir(), b.at(), b.access()));
        }
        case ContainerMount.File f -> files.add(f);
      }
    }
    return new Prepared(entries, images, files);
  }

  /**
   * Loop-mounts the squashfs range at a scratch point, then leaves only an id-mapped clone of it (0
   * → the container's root) at {@code <mounts>/<id>}: the clone keeps the file system, and the loop
   * device with it, alive.
   */
  private static Path idmappedImage(
      Host host,
      ContainerDirs dirs,
      ContainerIds ids,
      Path file,
      long offset,
      long length,
      String id) {
    remember(dirs.loopFiles(), file);
    Path image = dirs.mount(id);
    Path raw = dirs.mount(id + "-raw");
    if (!Files.isRegularFile(file)) {
      throw new StartException(ErrorKind.NOT_FOUND, "the image file " + file + " does not exist");
    }
    Mounts mounts = host.mounts();
    Ownership.hostDir(raw);
    Ownership.hostDir(image);
    mounts.loopSquashfs(file, offset, length, raw);
    try (Fd clone = mounts.clone(raw, host.userns().of(ids), Access.READ_ONLY, false)) {
      mounts.attach(clone, image);
    } finally {
      mounts.detach(raw.toString(), raw.toString());
      FileTrees.delete(raw);
    }
    return image;
  }

  /** Notes a file we loop-mount, before mounting it, so that crash clean-up can find it. */
  private static void remember(Path list, Path file) {
    try {
      Files.writeString(list, file + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new StartException(ErrorKind.FILESYSTEM, "cannot write " + list + ": " + e, e);
    }
  }
}
