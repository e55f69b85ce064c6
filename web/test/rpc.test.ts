import { describe, expect, it } from 'vitest'
import { describe as describeError, ErrorCode, RpcError } from '../src/rpc/errors'
import { Rpc } from '../src/rpc/rpc'

type Sent = { url: string; init: RequestInit }

function daemon(answer: (body: { id: number; method: string; params: unknown }) => Response) {
  const sent: Sent[] = []
  const fetch = (async (url: string, init: RequestInit) => {
    sent.push({ url, init })
    return answer(JSON.parse(init.body as string))
  }) as unknown as typeof globalThis.fetch
  return { sent, fetch }
}

const json = (body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status: 200, headers: { 'Content-Type': 'application/json', ...headers } })

describe('the RPC client', () => {
  it('posts JSON-RPC 2.0 to /rpc/v1 with the page\'s cookies and returns the result', async () => {
    const { sent, fetch } = daemon((b) => json({ jsonrpc: '2.0', id: b.id, result: { echoed: b.params } }))
    const rpc = new Rpc({ fetch })
    expect(await rpc.call('echo', { message: 'hi' })).toEqual({ echoed: { message: 'hi' } })
    expect(sent[0]!.url).toBe('/rpc/v1')
    expect(sent[0]!.init.method).toBe('POST')
    expect(sent[0]!.init.credentials).toBe('same-origin')
    expect(JSON.parse(sent[0]!.init.body as string)).toEqual({ jsonrpc: '2.0', id: 1, method: 'echo', params: { message: 'hi' } })
    await rpc.call('echo')
    expect(JSON.parse(sent[1]!.init.body as string).id).toBe(2)
  })

  it('turns the daemon\'s error into an RpcError a person can read', async () => {
    const { fetch } = daemon((b) => json({ jsonrpc: '2.0', id: b.id, error: { code: 7, message: 'Password Incorrect' } }))
    const error = await new Rpc({ fetch }).call('auth.login').catch((e: unknown) => e)
    expect(error).toBeInstanceOf(RpcError)
    expect((error as RpcError).code).toBe(ErrorCode.IncorrectPassword)
    expect(describeError(error)).toBe('The password is not correct. (Password Incorrect)')
  })

  it('sends the page to the login on code 34', async () => {
    const { fetch } = daemon((b) => json({ jsonrpc: '2.0', id: b.id, error: { code: 34, message: 'Unauthorized' } }))
    let loggedOut = 0
    const rpc = new Rpc({ fetch, onUnauthorized: () => loggedOut++ })
    await expect(rpc.call('package.list')).rejects.toBeInstanceOf(RpcError)
    expect(loggedOut).toBe(1)
  })

  it('reports an unreachable server, an HTTP error and a non-JSON answer as network errors', async () => {
    const down = (async () => {
      throw new TypeError('fetch failed')
    }) as unknown as typeof fetch
    const bad = daemon(() => new Response('<html>proxy error</html>', { status: 502 }))
    const html = daemon(() => new Response('<html>login</html>', { status: 200 }))
    for (const [rpc, says] of [
      [new Rpc({ fetch: down }), 'cannot reach the server'],
      [new Rpc({ fetch: bad.fetch }), 'HTTP 502'],
      [new Rpc({ fetch: html.fetch }), 'did not answer with JSON'],
    ] as const) {
      const e = await rpc.call('echo').catch((x: unknown) => x)
      expect((e as RpcError).code).toBe(ErrorCode.Network)
      expect((e as RpcError).message).toContain(says)
      expect(describeError(e)).toContain('cannot be reached')
    }
  })

  it('resolves a call that changed the database only once the copy shows it', async () => {
    const { fetch } = daemon((b) => json({ jsonrpc: '2.0', id: b.id, result: null }, { 'X-Patch-Sequence': '42' }))
    const waited: number[] = []
    let release: (reached: boolean) => void = () => {}
    const db = {
      waitFor: (sequence: number) => {
        waited.push(sequence)
        return new Promise<boolean>((r) => (release = r))
      },
    }
    let done = false
    const call = new Rpc({ fetch, db: () => db }).call('server.set-name', { name: 'x' }).then(() => (done = true))
    await new Promise((r) => setTimeout(r, 0))
    expect(waited).toEqual([42])
    expect(done).toBe(false)
    release(true)
    await call
    expect(done).toBe(true)
  })
})
