package dev.hearth.startd.http;

import dev.hearth.jsonrpc.Caller;
import dev.hearth.jsonrpc.RpcEndpoint;
import org.jspecify.annotations.Nullable;

/**
 * What {@code /rpc} serves in the current mode: the endpoint (its method tree), how callers are
 * authenticated, and what to do after a call that changed the database.
 */
public record Api(RpcEndpoint endpoint, Authenticator authenticator, AfterSync afterSync) {
  /** Who a request is from, by its {@code local} and {@code session} cookies. */
  @FunctionalInterface
  public interface Authenticator {
    Caller authenticate(@Nullable String localCookie, @Nullable String sessionCookie);
  }

  /** Runs after a database-changing call; returns the revision for {@code X-Patch-Sequence}. */
  @FunctionalInterface
  public interface AfterSync {
    long afterSync();
  }
}
