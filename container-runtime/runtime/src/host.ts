/**
 * The client side of `host.sock`, the host's effects server (spec §2.2, §2.5): one new connection
 * per call, as upstream's runtime does.
 */
import { requestOnce } from './jsonline'
import { isRecord } from './rpc'

export type HostCall = (method: string, params: Record<string, unknown>) => Promise<unknown>

export function hostClient(socketPath: string): HostCall {
  let nextId = 0
  return async (method, params) => {
    let reply: unknown
    try {
      reply = await requestOnce(socketPath, { id: nextId++, method, params })
    } catch (e) {
      throw new Error(`${e instanceof Error ? e.message : String(e)}@${method}`, { cause: e })
    }
    if (isRecord(reply) && isRecord(reply.error)) {
      const error = new Error(`${describe(reply.error)}@${method}`)
      console.error(`effect ${method} failed: ${error.message}`)
      throw error
    }
    if (isRecord(reply) && 'result' in reply) return reply.result
    throw new Error(`malformed reply ${JSON.stringify(reply)}@${method}`)
  }
}

/** `<message>: <details>\n<debug>`, leaving out the parts the host did not send. */
function describe(error: Record<string, unknown>): string {
  let text = String(error.message)
  const data = error.data
  if (typeof data === 'string') return `${text}: ${data}`
  if (isRecord(data)) {
    if (data.details != null) text += `: ${String(data.details)}`
    if (data.debug != null) text += `\n${String(data.debug)}`
  }
  return text
}
