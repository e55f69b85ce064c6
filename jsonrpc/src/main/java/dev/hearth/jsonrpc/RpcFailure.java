package dev.hearth.jsonrpc;

import java.io.Serial;

/** A call that ends in an error object rather than a result. */
public final class RpcFailure extends Exception {
  @Serial private static final long serialVersionUID = 1L;

  private final transient RpcError error;

  public RpcFailure(RpcError error) {
    super(error.code() + " " + error.message(), null, false, false);
    this.error = error;
  }

  public RpcError error() {
    return error;
  }
}
