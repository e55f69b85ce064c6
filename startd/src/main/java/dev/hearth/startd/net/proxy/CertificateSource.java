package dev.hearth.startd.net.proxy;

import java.util.Set;

/** Where the proxy gets the certificate for a set of names. */
public interface CertificateSource {
  /**
   * A certificate valid for every name in {@code names}. Called off the event loops, on a virtual
   * thread, at most once at a time per name set; it may block (sign a new certificate, read the
   * database). Throwing refuses the connections waiting for it; the next connection asks again.
   */
  Certificate certificate(Set<String> names);
}
