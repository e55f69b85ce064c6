package dev.hearth.startd.container;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * A network namespace made for one test run, holding the containers' bridge with a 10.x address: in
 * the host's namespace a 10.x packet would leave the machine, inside this one it cannot. The test
 * talks to containers only through port forwards on 127.0.0.1.
 */
public record TestNetwork(String netns, String bridge, String subnet) {
  public static TestNetwork create() throws IOException, InterruptedException {
    byte[] r = new byte[3];
    new SecureRandom().nextBytes(r);
    String id = HexFormat.of().formatHex(r);
    String ns = "hearth-t" + id;
    String bridge = "br-t" + id;
    String subnet = "10." + (r[0] & 0xff) + "." + (r[1] & 0xff) + ".0/24";
    BusyboxImages.run("ip", "netns", "add", ns);
    BusyboxImages.run("ip", "-n", ns, "link", "set", "lo", "up");
    BusyboxImages.run("ip", "-n", ns, "link", "add", bridge, "type", "bridge");
    String host = "10." + (r[0] & 0xff) + "." + (r[1] & 0xff) + ".1/24";
    BusyboxImages.run("ip", "-n", ns, "addr", "add", host, "dev", bridge);
    BusyboxImages.run("ip", "-n", ns, "link", "set", bridge, "up");
    return new TestNetwork(ns, bridge, subnet);
  }

  public boolean exists() {
    return Files.exists(Path.of("/run/netns", netns));
  }

  public void delete() throws IOException, InterruptedException {
    if (exists()) {
      BusyboxImages.run("ip", "netns", "delete", netns);
    }
  }
}
