/**
 * JSON-RPC shapes on both sockets (spec container-runtime.md §2.2–2.3) and the error objects the
 * runtime replies with. The host only reads `message` and `data`, but the codes matter: code 0 is
 * "the package failed", code 1 "the request could not be dispatched". We never use -32603: the
 * host takes it as a broken connection and re-sends the request.
 */

export type RpcId = number | string | null

export type ErrorObject = {
  code: number
  message: string
  data?: { details: string; debug?: string } | string
}

export type Reply =
  | { jsonrpc: '2.0'; id: RpcId; result: unknown }
  | { jsonrpc: '2.0'; id: RpcId; error: ErrorObject }

/** An error that already knows the error object it becomes on the wire; `cause` is for the log. */
export class RpcError extends Error {
  constructor(
    readonly object: ErrorObject,
    cause?: unknown,
  ) {
    super(object.message, { cause })
  }
}

export function methodNotFound(method: string): RpcError {
  return new RpcError({ code: -32601, message: 'Method not found', data: { details: method } })
}

export function invalidRequest(request: unknown): RpcError {
  return new RpcError({
    code: -32602,
    message: 'invalid params',
    data: { details: JSON.stringify(request) ?? String(request) },
  })
}

/** Code 1: the request was refused before any package code ran (bad JSON, bad params, not ready). */
export function dispatchFailure(e: unknown): RpcError {
  return new RpcError({
    code: 1,
    message: typeof e,
    data: { details: e instanceof Error ? e.message : String(e), debug: stackOf(e) },
  }, e)
}

/** Code 0 for `init`, `start`, `stop` and `exit`: the package (or the runtime around it) failed. */
export function lifecycleFailure(e: unknown): RpcError {
  return new RpcError({ code: 0, message: typeof e, data: { details: String(e), debug: stackOf(e) } }, e)
}

/**
 * Code 0 for `execute`: the message is the error itself, and no `data`. A thrown `{error, code?}`
 * (the SDK's way to choose what the user sees) keeps its own message and code.
 */
export function procedureFailure(e: unknown): RpcError {
  if (isRecord(e) && typeof e.error === 'string') {
    return new RpcError({ code: typeof e.code === 'number' ? e.code : 0, message: e.error }, e)
  }
  return new RpcError({ code: 0, message: String(e) }, e)
}

export function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x)
}

function stackOf(e: unknown): string {
  return (e instanceof Error && e.stack) || String(e)
}
