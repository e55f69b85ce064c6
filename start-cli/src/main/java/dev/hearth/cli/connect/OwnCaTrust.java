package dev.hearth.cli.connect;

import java.net.IDN;
import java.net.InetAddress;
import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.X509ExtendedTrustManager;
import org.jspecify.annotations.Nullable;

/**
 * Trust in a server's own Root CA: the JDK validates the chain (PKIX to the given anchors, its
 * disabled algorithms, the leaf's key usage for the key exchange), and the host name is checked
 * here, on every server handshake, whatever the socket's parameters ask.
 *
 * <p>Why not the JDK's host-name check: before it compares a single name it asks whether the chain
 * ends at one of the public CAs in the JDK's {@code cacerts} (their wildcards get stricter rules),
 * and answering parses that whole file: about 80 ms of a command's CPU on this machine, a quarter
 * of a remote call. A chain that ends at a server's private Root CA never ends at a public one.
 *
 * <p>The rules are the ones browsers apply (RFC 6125), stricter than the JDK's: only the
 * subjectAltName counts (no fallback to the subject's CN); an IP address matches only an {@code
 * iPAddress} entry; a {@code *} only as the whole leftmost label of a name of three labels or more,
 * standing for exactly one label.
 */
final class OwnCaTrust extends X509ExtendedTrustManager {
  private static final int DNS_NAME = 2;
  private static final int IP_ADDRESS = 7;

  private final X509ExtendedTrustManager chains;

  /**
   * @param chains the JDK's trust manager over the Root CA alone; asked without a socket, so it
   *     checks the chain and not the name
   */
  OwnCaTrust(X509ExtendedTrustManager chains) {
    this.chains = chains;
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    chains.checkServerTrusted(chain, authType);
    SSLSession session = socket instanceof SSLSocket ssl ? ssl.getHandshakeSession() : null;
    checkHost(session == null ? null : session.getPeerHost(), chain[0]);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    chains.checkServerTrusted(chain, authType);
    SSLSession session = engine == null ? null : engine.getHandshakeSession();
    checkHost(session == null ? null : session.getPeerHost(), chain[0]);
  }

  /** Without a connection there is no host to check: refused, never waved through. */
  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    throw new CertificateException("no host name to check the server's certificate against");
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    chains.checkClientTrusted(chain, authType, socket);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    chains.checkClientTrusted(chain, authType, engine);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    chains.checkClientTrusted(chain, authType);
  }

  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return chains.getAcceptedIssuers();
  }

  /**
   * Passes if {@code leaf} names {@code host}.
   *
   * @throws CertificateException if it does not, or if there is no host
   */
  static void checkHost(@Nullable String host, X509Certificate leaf) throws CertificateException {
    if (host == null || host.isEmpty()) {
      throw new CertificateException("no host name to check the server's certificate against");
    }
    Collection<List<?>> sans = leaf.getSubjectAlternativeNames();
    List<String> names = new ArrayList<>();
    InetAddress ip = ipLiteral(host);
    String dns = ip == null ? dnsName(host) : null;
    for (List<?> san : sans == null ? List.<List<?>>of() : sans) {
      if (!(san.get(0) instanceof Integer type) || !(san.get(1) instanceof String value)) {
        continue;
      }
      if (type == IP_ADDRESS) {
        names.add(value);
        if (ip != null && ip.equals(ipLiteral(value))) {
          return;
        }
      } else if (type == DNS_NAME) {
        names.add(value);
        if (dns != null && matches(dns, value.toLowerCase(Locale.ROOT))) {
          return;
        }
      }
    }
    throw new CertificateException(
        "the server's certificate is not for "
            + host
            + (names.isEmpty() ? " (it names no host)" : " (it is for " + names + ")"));
  }

  /** The address {@code host} is written as, or null if it is a name. Never asks DNS. */
  private static @Nullable InetAddress ipLiteral(String host) {
    String bare =
        host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    try {
      return InetAddress.ofLiteral(bare);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static String dnsName(String host) throws CertificateParsingException {
    String name = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
    if (name.chars().allMatch(c -> c < 0x80)) {
      return name.toLowerCase(Locale.ROOT); // IDN's tables cost a fresh process a few ms
    }
    try {
      return IDN.toASCII(name, IDN.USE_STD3_ASCII_RULES).toLowerCase(Locale.ROOT);
    } catch (IllegalArgumentException e) {
      throw new CertificateParsingException("not a host name: " + host);
    }
  }

  /** {@code name} (ASCII, lower case) against a certificate's dNSName {@code pattern}. */
  static boolean matches(String name, String pattern) {
    String p = pattern.endsWith(".") ? pattern.substring(0, pattern.length() - 1) : pattern;
    if (!p.startsWith("*.")) {
      return !p.contains("*") && p.equals(name);
    }
    String rest = p.substring(1); // ".example.local"
    if (rest.contains("*") || rest.indexOf('.', 1) < 0) {
      return false; // a second wildcard, or "*.local": too wide
    }
    int firstDot = name.indexOf('.');
    return firstDot > 0 && name.substring(firstDot).equals(rest);
  }
}
