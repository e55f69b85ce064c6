import type { Json } from '../src/db/json'
import { PatchDb, type DbTransport, type Socket } from '../src/db/patch-db'

/** Lets pending promises and timers of zero delay run. */
export const settle = () => new Promise<void>((r) => setTimeout(r, 0))

/** A PatchDb whose daemon answers the subscribe with `dump`; `revise` sends it a revision. */
export function liveDb(dump: Json) {
  let send: (text: string) => void = () => {}
  const transport: DbTransport = {
    subscribe: async () => ({ dump: { id: 1, value: dump }, guid: 'G' }),
    open: (_guid, on): Socket => {
      send = on.message
      return { close: () => {} }
    },
  }
  const db = new PatchDb(transport)
  db.start()
  return { db, revise: (id: number, patch: unknown[]) => send(JSON.stringify({ id, patch })) }
}
