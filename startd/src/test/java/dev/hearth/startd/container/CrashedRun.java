package dev.hearth.startd.container;

import java.nio.file.Path;
import java.util.List;

/**
 * A daemon that dies without cleaning up: opens {@link Containers}, creates a container with an
 * image and a subcontainer, says {@code READY <name>} on stdout and waits to be killed. {@link
 * ContainersIT} kills it with SIGKILL and checks that the next {@link Containers#open} cleans up.
 */
public final class CrashedRun {
  private CrashedRun() {}

  public static void main(String[] a) throws Exception {
    var settings =
        new ContainerSettings(
            Path.of(a[0]),
            Path.of(a[1]),
            Path.of(a[2]),
            a[3],
            a[4],
            a[5],
            "127.0.0.1",
            Limits.NONE);
    Containers containers = Containers.open(settings);
    ContainerPath image = ContainerPath.of("/media/startos/images/main");
    ServiceContainer c =
        containers.create(
            new ContainerSpec(
                a[6],
                "crashed",
                List.of(
                    new ContainerMount.Squashfs(
                        Path.of(a[7]), Long.parseLong(a[8]), Long.parseLong(a[9]), image))));
    c.subcontainerFs(image, "orphan", "orphan");
    System.out.println("READY " + c.name());
    System.out.flush();
    Thread.sleep(Long.MAX_VALUE);
  }
}
