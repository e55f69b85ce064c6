/**
 * The server side of `service.sock` (spec §2.2): the host sends requests over one or more
 * persistent connections; each line is handled on its own, so replies go back in any order,
 * matched by `id`. A request without `id` is a notification and gets no reply.
 */
import { promises as fs } from 'node:fs'
import * as net from 'node:net'
import { onLines } from './jsonline'
import {
  dispatchFailure,
  invalidRequest,
  isRecord,
  lifecycleFailure,
  RpcError,
  type Reply,
  type RpcId,
} from './rpc'

export type ServerOptions = {
  socketPath: string
  handle: (method: string, params: unknown) => Promise<unknown>
  /** Logs each request received. */
  debug: boolean
  /** Runs once the reply to a request has been written (or was not due). */
  afterReply?: (method: string) => void
}

/** Replaces a stale socket file, listens, and lets anyone who can reach the directory connect. */
export async function listen(options: ServerOptions): Promise<net.Server> {
  await fs.rm(options.socketPath, { force: true })
  const server = net.createServer((socket) => serve(socket, options))
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.socketPath, () => {
      server.off('error', reject)
      resolve()
    })
  })
  server.on('error', (e) => console.error('service.sock:', e))
  // The host connects from outside the container's user namespace: access is controlled by the
  // rpc directory, not by the socket's mode.
  await fs.chmod(options.socketPath, 0o666)
  return server
}

function serve(socket: net.Socket, options: ServerOptions): void {
  socket.on('error', (e) => console.error('service.sock connection:', e.message))
  onLines(socket, (line) => {
    void answer(line, options).then(({ method, reply }) => {
      const done = () => options.afterReply?.(method)
      if (reply === null) return done()
      const text = serialise(reply)
      if (socket.writable) socket.write(text + '\n', done)
      else done()
    })
  })
}

/** The reply to one line, or null for a notification. */
async function answer(
  line: string,
  options: ServerOptions,
): Promise<{ method: string; reply: Reply | null }> {
  let request: unknown
  try {
    request = JSON.parse(line)
  } catch (e) {
    console.error('service.sock: a request is not JSON:', line)
    return { method: '', reply: failure(null, dispatchFailure(e)) }
  }
  if (!isRecord(request) || typeof request.method !== 'string') {
    const id = isRecord(request) && isId(request.id) ? request.id : null
    return { method: '', reply: failure(id, invalidRequest(request)) }
  }
  const { method, params } = request
  const id = isId(request.id) ? request.id : undefined
  if (options.debug) console.log(`rpc ${method}${id === undefined ? '' : ` #${id}`}`)
  let reply: Reply
  try {
    const result = await options.handle(method, params)
    reply = { jsonrpc: '2.0', id: id ?? null, result: result ?? null }
  } catch (e) {
    const error = e instanceof RpcError ? e : lifecycleFailure(e)
    console.error(`${method} failed:`, error.cause ?? error.object)
    reply = failure(id ?? null, error)
  }
  return { method, reply: id === undefined ? null : reply }
}

function failure(id: RpcId, error: RpcError): Reply {
  return { jsonrpc: '2.0', id, error: error.object }
}

function isId(id: unknown): id is RpcId {
  return typeof id === 'number' || typeof id === 'string' || id === null
}

/** A result that is not JSON (a BigInt, a cycle) becomes an error instead of a lost reply. */
function serialise(reply: Reply): string {
  try {
    return JSON.stringify(reply)
  } catch (e) {
    return JSON.stringify(failure(reply.id, lifecycleFailure(e)))
  }
}
