import { ErrorCode, RpcError } from './errors'

/** What the client waits on after a call that changed the database (rpc.md §1.4). */
export interface Sequenced {
  waitFor(sequence: number, timeoutMs: number): Promise<boolean>
}

export type RpcOptions = {
  /** Where the daemon is: `""` for the page's own origin. */
  base?: string
  fetch?: typeof fetch
  /** Called on code 34: the session is gone, the page goes to the login. */
  onUnauthorized?: () => void
  /** The database copy a call's `X-Patch-Sequence` is waited for in, once there is one. */
  db?: () => Sequenced | null
  /** The longest wait for the copy to catch up with a call. */
  syncTimeoutMs?: number
}

/**
 * JSON-RPC 2.0 calls to `POST /rpc/v1` with the page's cookies (rpc.md §1). A call that changed the
 * database resolves only once the page's copy shows the change, so what a person sees after a
 * click is never older than the click.
 */
export class Rpc {
  private nextId = 1
  private readonly base: string
  private readonly fetchFn: typeof fetch
  private readonly onUnauthorized: () => void
  private readonly db: () => Sequenced | null
  private readonly syncTimeoutMs: number

  constructor(options: RpcOptions = {}) {
    this.base = options.base ?? ''
    // Looked up at each call, not kept: a page's fetch may be replaced after this module loads.
    this.fetchFn = options.fetch ?? ((input, init) => globalThis.fetch(input, init))
    this.onUnauthorized = options.onUnauthorized ?? (() => {})
    this.db = options.db ?? (() => null)
    this.syncTimeoutMs = options.syncTimeoutMs ?? 10_000
  }

  /**
   * Calls `method`.
   *
   * @throws RpcError the daemon's error, or code 9 (Network) when it could not be reached or did
   *     not answer with JSON-RPC
   */
  async call<T = unknown>(method: string, params: object = {}): Promise<T> {
    const id = this.nextId++
    let response: Response
    try {
      response = await this.fetchFn(`${this.base}/rpc/v1`, {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
        body: JSON.stringify({ jsonrpc: '2.0', id, method, params }),
      })
    } catch (e) {
      throw new RpcError(ErrorCode.Network, 'cannot reach the server', e)
    }
    if (!response.ok) throw new RpcError(ErrorCode.Network, `the server answered HTTP ${response.status}`)
    let body: unknown
    try {
      body = await response.json()
    } catch (e) {
      throw new RpcError(ErrorCode.Network, 'the server did not answer with JSON', e)
    }
    if (typeof body !== 'object' || body === null) throw new RpcError(ErrorCode.Network, 'malformed answer')
    const answer = body as { result?: unknown; error?: { code?: unknown; message?: unknown; data?: unknown } }
    if (answer.error !== undefined) {
      const code = typeof answer.error.code === 'number' ? answer.error.code : ErrorCode.Unknown
      if (code === ErrorCode.Authorization) this.onUnauthorized()
      const message = typeof answer.error.message === 'string' ? answer.error.message : ''
      throw new RpcError(code, message, answer.error.data)
    }
    const sequence = Number(response.headers.get('X-Patch-Sequence'))
    const db = this.db()
    if (db !== null && response.headers.has('X-Patch-Sequence') && Number.isSafeInteger(sequence)) {
      await db.waitFor(sequence, this.syncTimeoutMs)
    }
    return answer.result as T
  }
}
