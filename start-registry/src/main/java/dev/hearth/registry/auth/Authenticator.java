package dev.hearth.registry.auth;

import dev.hearth.api.RegistryApi;
import dev.hearth.error.ErrorKind;
import dev.hearth.error.StartException;
import dev.hearth.jsonrpc.Caller;
import dev.hearth.jsonrpc.RpcContext;
import dev.hearth.registry.db.RegistryDb;
import dev.hearth.s9pk.sign.RequestSignature;
import dev.hearth.s9pk.sign.SignerKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Who sent a request: anonymous, or a signer of this registry proven by {@code X-StartOS-Auth-Sig}
 * (rpc.md §2.4) — signed for one of the registry's host names, within {@link #WINDOW} of now, over
 * this very body, with a nonce not seen before. A valid signature by a key the registry does not
 * know is anonymous; a bad one refuses the request.
 */
public final class Authenticator {
  public static final Duration WINDOW = Duration.ofSeconds(30);

  private final RegistryDb db;
  private final List<String> hostnames;
  private final Clock clock;
  private final NonceLedger nonces;

  public Authenticator(RegistryDb db, List<String> hostnames, Clock clock) {
    this.db = db;
    this.hostnames = List.copyOf(hostnames);
    this.clock = clock;
    this.nonces = new NonceLedger(WINDOW, clock.instant(), 100_000);
  }

  /**
   * @throws StartException INVALID_SIGNATURE if the header is malformed, signs another body or
   *     host, is out of time, or was used before
   */
  public Caller authenticate(@Nullable String header, byte[] body) {
    if (header == null) {
      return Caller.ANONYMOUS;
    }
    RequestSignature sig = RequestSignature.parse(header);
    boolean known = signerId(sig.signer()).isPresent();
    if (!sig.verify(body, hostnames)) {
      if (!known) {
        // A key this registry does not know authenticates nothing, however it signed: such a
        // caller (a server browsing the registry by its IP address) is anonymous.
        return Caller.ANONYMOUS;
      }
      throw new StartException(
          ErrorKind.INVALID_SIGNATURE,
          "the request's signature does not verify for this body and this registry's names ("
              + String.join(", ", hostnames)
              + "); sign with --registry-hostname set to one of them");
    }
    String refused =
        nonces.refusal(
            sig.signer().hex(),
            sig.nonce(),
            Instant.ofEpochSecond(sig.timestamp()),
            clock.instant());
    if (refused != null) {
      throw new StartException(ErrorKind.INVALID_SIGNATURE, refused);
    }
    return known ? new Caller.Signer(sig.signer().pem()) : Caller.ANONYMOUS;
  }

  /** The id of the signer that holds {@code key}. */
  public Optional<String> signerId(SignerKey key) {
    for (Map.Entry<String, RegistryApi.SignerInfo> s :
        db.read(RegistryDb.SIGNERS, Map.of()).entrySet()) {
      for (String pem : s.getValue().keys()) {
        if (sameKey(pem, key)) {
          return Optional.of(s.getKey());
        }
      }
    }
    return Optional.empty();
  }

  /**
   * The signer who sent the call.
   *
   * @throws StartException AUTHORIZATION when the call was not signed by a signer of this registry
   */
  public String signer(RpcContext ctx) {
    if (ctx.caller() instanceof Caller.Signer s) {
      Optional<String> id = signerId(SignerKey.parsePem(s.publicKeyPem()));
      if (id.isPresent()) {
        return id.get();
      }
    }
    throw new StartException(
        ErrorKind.AUTHORIZATION, "this needs a request signed by a signer of this registry");
  }

  /** A signer of this registry and the very key it signed a request with. */
  public record Sender(String id, SignerKey key) {}

  /**
   * The signer who sent the call, and the key it signed the call with.
   *
   * @throws StartException AUTHORIZATION when the call was not signed by a signer of this registry
   */
  public Sender sender(RpcContext ctx) {
    String id = signer(ctx);
    // signer(ctx) found a signer, so the caller is a Caller.Signer
    return new Sender(id, SignerKey.parsePem(((Caller.Signer) ctx.caller()).publicKeyPem()));
  }

  /**
   * The admin who sent the call.
   *
   * @throws StartException AUTHORIZATION when the signer is not an admin
   */
  public String admin(RpcContext ctx) {
    String id = signer(ctx);
    if (!isAdmin(id)) {
      throw new StartException(ErrorKind.AUTHORIZATION, "this needs an admin of this registry");
    }
    return id;
  }

  public boolean isAdmin(String signerId) {
    return db.read(RegistryDb.ADMINS, List.of()).contains(signerId);
  }

  private static boolean sameKey(String pem, SignerKey key) {
    try {
      return SignerKey.parsePem(pem).equals(key);
    } catch (RuntimeException e) {
      return false;
    }
  }
}
