package dev.hearth.jsonrpc;

/**
 * What a method does: from the call's context and its typed params to its result. It may throw a
 * {@link dev.hearth.error.StartException}, which the caller receives as an error object.
 */
@FunctionalInterface
public interface RpcHandler<P, R> {
  R handle(RpcContext context, P params) throws Exception;
}
