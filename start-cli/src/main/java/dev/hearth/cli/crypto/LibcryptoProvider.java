package dev.hearth.cli.crypto;

import java.security.InvalidParameterException;
import java.security.Provider;
import java.security.Security;
import java.util.List;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * A JCA provider, by the system's libcrypto, of what a TLS 1.3 handshake computes on curves: ECDSA
 * P-256 verification ({@code SHA256withECDSA}), X25519 ({@code XDH}, {@code X25519}) and P-256 key
 * pairs ({@code EC}; the JDK's client sends a P-256 key share beside the X25519 one). It is put
 * first in the provider list for a command that talks TLS. Why: the handshake (two key shares, the
 * server's P-256 chain and CertificateVerify) costs a fresh JVM well over 100 ms of CPU in the
 * JDK's pure-Java curves, run cold, plus their compilation; libcrypto's take well under a
 * millisecond.
 *
 * <p>It verifies and never signs, and the keys it makes are a command's ephemeral ones, from the
 * caller's {@code SecureRandom}. Every service refuses, at {@code init}, what it does not do
 * (another curve, signing, an uninitialized generator), and the JCA's provider selection then falls
 * to the JDK's; ECDH on P-256, if a server picks it, is the JDK's, with these keys.
 */
public final class LibcryptoProvider extends Provider {
  static final String NAME = "HearthLibcrypto";

  private LibcryptoProvider() {
    super(NAME, "1", "ECDSA P-256 verification, X25519 and P-256 keys by the system's libcrypto");
    List<String> ecdsaOids = List.of("1.2.840.10045.4.3.2", "OID.1.2.840.10045.4.3.2");
    List<String> x25519Oids = List.of("1.3.101.110", "OID.1.3.101.110");
    putService(
        new Made(
            this,
            "Signature",
            "SHA256withECDSA",
            ecdsaOids,
            P256Sha256Verifier.class,
            P256Sha256Verifier::new));
    putService(
        new Made(
            this,
            "KeyPairGenerator",
            "EC",
            List.of(),
            P256KeyPairGenerator.class,
            P256KeyPairGenerator::new));
    for (String name : List.of("XDH", "X25519")) {
      List<String> aliases = name.equals("X25519") ? x25519Oids : List.of();
      putService(
          new Made(
              this,
              "KeyPairGenerator",
              name,
              aliases,
              X25519KeyPairGenerator.class,
              X25519KeyPairGenerator::new));
      putService(
          new Made(
              this,
              "KeyAgreement",
              name,
              aliases,
              X25519KeyAgreement.class,
              X25519KeyAgreement::new));
    }
  }

  /**
   * Puts the provider first in this process's list, if the library and libcrypto load; else leaves
   * the list as it is. Decided once per process, by the first caller; others wait for its answer.
   *
   * @return whether the provider is in the list
   */
  public static boolean install() {
    return Installed.IN_LIST;
  }

  /** The one attempt, made when this class is initialized, which the JVM does once. */
  private static final class Installed {
    static final boolean IN_LIST = insert();

    private static boolean insert() {
      if (Security.getProvider(NAME) != null) {
        return true;
      }
      if (!Libcrypto.load()) {
        return false;
      }
      Security.insertProviderAt(new LibcryptoProvider(), 1);
      return true;
    }
  }

  /** A service made by a constructor reference: no reflection at a command's start. */
  private static final class Made extends Service {
    private final Supplier<Object> make;

    Made(
        Provider provider,
        String type,
        String algorithm,
        List<String> aliases,
        Class<?> implementation,
        Supplier<Object> make) {
      super(provider, type, algorithm, implementation.getName(), aliases, null);
      this.make = make;
    }

    @Override
    public Object newInstance(@Nullable Object parameter) {
      if (parameter != null) {
        throw new InvalidParameterException(getType() + " takes no constructor parameter");
      }
      return make.get();
    }
  }
}
