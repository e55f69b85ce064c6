package dev.hearth.cli.connect;

import dev.hearth.cli.crypto.LibcryptoProvider;
import dev.hearth.jsonrpc.EarlyConnection;
import dev.hearth.jsonrpc.RpcClient;
import java.net.URI;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.Optional;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import org.jspecify.annotations.Nullable;

/**
 * The TLS connection a command's call will need, opened while picocli is still reading the command
 * line ({@link EarlyConnection}): the handshake is most of a remote call's work, and it needs only
 * the server and its trust anchor.
 *
 * <p>Only the options that name them are read here, and only in their plain forms ({@code -H URL},
 * {@code --host=URL}, {@code -c FILE}, {@code --ca FILE}); a command line that names them any other
 * way gets no head start. Picocli's reading stays the one that counts: the call uses this
 * connection only if it names the same server and trust anchor ({@link #isFor}).
 */
public final class HeadStart implements AutoCloseable {
  private final URI url;
  private final Optional<Path> ca;
  private final Supplier<SSLContext> tls;
  private final EarlyConnection connection;

  private HeadStart(URI url, Optional<Path> ca, Supplier<SSLContext> tls) {
    this.url = url;
    this.ca = ca;
    this.tls = tls;
    this.connection = EarlyConnection.open(url, tls, RpcClient.connectTimeout());
  }

  /**
   * Starts connecting to the {@code https} server {@code args} name; null for a plain HTTP one, or
   * when they cannot be read with certainty here.
   */
  public static @Nullable HeadStart begin(String... args) {
    String host = null;
    String config = null;
    String ca = null;
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (a.equals("--")) {
        break;
      }
      String next = i + 1 < args.length ? args[i + 1] : null;
      switch (a) {
        case "-H", "--host" -> host = next;
        case "-c", "--config" -> config = next;
        case "--ca" -> ca = next;
        default -> {
          if (a.startsWith("--host=")) {
            host = a.substring("--host=".length());
          } else if (a.startsWith("--config=")) {
            config = a.substring("--config=".length());
          } else if (a.startsWith("--ca=")) {
            ca = a.substring("--ca=".length());
          } else if (a.startsWith("-H") || a.startsWith("-c")) {
            return null; // an attached value or a cluster: picocli's to read
          }
          continue;
        }
      }
      if (next == null) {
        return null;
      }
      i++;
    }
    try {
      Endpoint e =
          Endpoint.of(
              host, config == null ? null : Path.of(config), ca == null ? null : Path.of(ca));
      // Over plain HTTP a connection takes well under a millisecond: starting a thread for it
      // would cost the main thread more than it saves.
      if (e.url().getHost() == null || !e.url().getScheme().equalsIgnoreCase("https")) {
        return null;
      }
      Supplier<SSLContext> context = e.ca().map(TrustAnchors::once).orElse(RpcClient::defaultTls);
      // The connection's thread makes its TLS context while this one loads libcrypto and puts its
      // provider first (LibcryptoProvider); the handshake, the provider's first use, waits for it.
      Supplier<SSLContext> tls =
          () -> {
            SSLContext made = context.get();
            LibcryptoProvider.install();
            return made;
          };
      var head = new HeadStart(e.url(), e.ca(), tls);
      boolean jdkCurves = !LibcryptoProvider.install();
      boolean publicRoots = e.ca().isEmpty(); // with a CA file, OwnCaTrust checks the name
      if (jdkCurves || publicRoots) {
        Thread.ofPlatform()
            .daemon()
            .name("tls-prepare")
            .start(() -> prepare(jdkCurves, publicRoots));
      }
      return head;
    } catch (RuntimeException e) {
      return null; // a missing config file, a malformed URL: the command reports it
    }
  }

  /** Whether this connection goes to {@code url}, trusting {@code ca}. */
  boolean isFor(URI url, Optional<Path> ca) {
    return this.url.equals(url) && this.ca.equals(ca);
  }

  Supplier<SSLContext> tls() {
    return tls;
  }

  EarlyConnection connection() {
    return connection;
  }

  /** Closes the connection unless a call took it. */
  @Override
  public void close() {
    connection.close();
  }

  /**
   * Without libcrypto ({@link LibcryptoProvider}), makes the JDK's table of multiples of the P-256
   * generator, on a core the handshake leaves idle: the handshake needs it (for its P-256 key
   * share, and to verify the server's certificates, which are P-256 as a StartOS server's are), and
   * making it is the largest single cost of a handshake in a fresh JVM. A P-256 key pair is the
   * public way to ask for it; the handshake waits for the table if it is still being made, it does
   * not make it twice. Then, if the JDK's host-name check will run, the list of public roots it
   * reads.
   */
  private static void prepare(boolean p256Table, boolean publicRoots) {
    if (p256Table) {
      try {
        var generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        generator.generateKeyPair();
      } catch (GeneralSecurityException e) {
        // the handshake meets the same problem and reports it
      }
    }
    if (publicRoots) {
      loadPublicRoots();
    }
  }

  /**
   * Loads the JDK's list of public root CAs, which its host-name check reads at the end of every
   * handshake (to learn whether the chain ends at a public CA, whose certificates get stricter
   * wildcard rules) by parsing the whole {@code cacerts} file: about 40 ms of the connection's
   * critical path in a fresh JVM, done here while the handshake waits for the server. By name, as a
   * JDK-internal class: if a JDK has no such class, nothing is lost.
   */
  private static void loadPublicRoots() {
    try {
      Class.forName("sun.security.util.AnchorCertificates", true, null);
    } catch (ClassNotFoundException | LinkageError e) {
      // the handshake loads whatever this JDK needs itself
    }
  }
}
