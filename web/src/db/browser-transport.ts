import { openContinuation } from '../rpc/continuation'
import type { Rpc } from '../rpc/rpc'
import type { DbTransport, Socket, Subscription } from './patch-db'

/**
 * The page's way to the daemon's database: `db.subscribe` over RPC, then the continuation's
 * WebSocket at `/ws/rpc/<guid>` on the page's own host (rpc.md §3), `wss:` when the page is HTTPS.
 */
export class BrowserTransport implements DbTransport {
  constructor(
    private readonly rpc: Rpc,
    private readonly location: Pick<Location, 'protocol' | 'host'> = window.location,
  ) {}

  subscribe(): Promise<Subscription> {
    return this.rpc.call<Subscription>('db.subscribe', {})
  }

  open(guid: string, on: { message(text: string): void; closed(): void }): Socket {
    const ws = openContinuation(guid, this.location)
    let closed = false
    const ended = () => {
      if (!closed) {
        closed = true
        on.closed()
      }
    }
    ws.onmessage = (e) => {
      if (typeof e.data === 'string') on.message(e.data)
    }
    ws.onclose = ended
    ws.onerror = ended
    return {
      close: () => {
        closed = true
        ws.close()
      },
    }
  }
}
