package dev.hearth.startd;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hearth.api.SetupApi;
import dev.hearth.jsonrpc.Continuation;
import dev.hearth.jsonrpc.Empty;
import dev.hearth.jsonrpc.RpcClient;
import dev.hearth.startd.auth.EncryptedWire;
import java.security.SecureRandom;
import java.time.Duration;

/** Shared steps of the integration tests. */
public final class Servers {
  public static final String PASSWORD = "correct horse battery staple";

  private Servers() {}

  /** Runs a fresh setup named {@code name} to completion, then leaves setup mode. */
  public static SetupApi.Completed setUp(StartdProcess startd, String name) throws Exception {
    try (RpcClient client = startd.client()) {
      JsonNode key = client.call(SetupApi.GET_PUBKEY, Empty.INSTANCE);
      JsonNode encrypted =
          EncryptedWire.encrypt(PASSWORD, key, new SecureRandom(), StartdProcess.MAPPER);
      var password = new SetupApi.EncryptedPassword(encrypted);
      SetupApi.Started started =
          client.call(
              SetupApi.EXECUTE,
              new SetupApi.ExecuteParams(null, password, null, false, name, null));
      try (Continuation progress = client.continuation(started.guid())) {
        var closed = progress.awaitClose(Duration.ofSeconds(60)).orElseThrow();
        if (closed.code() != 1000) {
          throw new IllegalStateException("setup failed: " + closed);
        }
      }
      SetupApi.Completed completed = client.call(SetupApi.COMPLETE, Empty.INSTANCE);
      client.call(SetupApi.EXIT, Empty.INSTANCE);
      return completed;
    }
  }
}
