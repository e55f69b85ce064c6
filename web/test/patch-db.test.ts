import { describe, expect, it } from 'vitest'
import type { Json } from '../src/db/json'
import { PatchDb, type Clock, type DbTransport, type Socket, type Subscription } from '../src/db/patch-db'

/** Timers that run only when the test advances time. */
class ManualClock implements Clock {
  now = 0
  private timers = new Map<number, { at: number; fn: () => void }>()
  private next = 1
  setTimeout(fn: () => void, ms: number): unknown {
    const id = this.next++
    this.timers.set(id, { at: this.now + ms, fn })
    return id
  }
  clearTimeout(handle: unknown): void {
    this.timers.delete(handle as number)
  }
  advance(ms: number): void {
    this.now += ms
    for (const [id, t] of [...this.timers].sort((a, b) => a[1].at - b[1].at)) {
      if (t.at <= this.now && this.timers.delete(id)) t.fn()
    }
  }
  pending(): number[] {
    return [...this.timers.values()].map((t) => t.at - this.now)
  }
}

/** The daemon's side: answers subscribes as the test says, and records the sockets. */
class ScriptedDaemon implements DbTransport {
  subscribes: { resolve: (s: Subscription) => void; reject: (e: Error) => void }[] = []
  sockets: { guid: string; message: (t: string) => void; closed: () => void; isClosed: boolean }[] = []
  subscribe(): Promise<Subscription> {
    return new Promise((resolve, reject) => this.subscribes.push({ resolve, reject }))
  }
  open(guid: string, on: { message(text: string): void; closed(): void }): Socket {
    const s = { guid, message: on.message, closed: on.closed, isClosed: false }
    this.sockets.push(s)
    return { close: () => void (s.isClosed = true) }
  }
  lastSocket() {
    return this.sockets[this.sockets.length - 1]!
  }
  async answer(id: number, value: Json, guid = `G${this.subscribes.length}`): Promise<void> {
    this.subscribes[this.subscribes.length - 1]!.resolve({ dump: { id, value }, guid })
    await settle()
  }
}

const settle = () => new Promise<void>((r) => setTimeout(r, 0))

function started() {
  const daemon = new ScriptedDaemon()
  const clock = new ManualClock()
  const db = new PatchDb(daemon, clock, [100, 200, 400])
  db.start()
  return { daemon, clock, db }
}

describe('the Patch-DB client', () => {
  it('starts from the dump and applies each revision', async () => {
    const { daemon, db } = started()
    expect(db.state.value).toBeNull()
    expect(db.connection.value).toBe('connecting')
    await daemon.answer(5, { serverInfo: { name: 'box' }, packageData: {} })
    expect(db.connection.value).toBe('live')
    expect(daemon.lastSocket().guid).toBe('G1')
    const name = db.select<string>('/serverInfo/name')
    expect(name.value).toBe('box')
    daemon.lastSocket().message(JSON.stringify({ id: 9, patch: [{ op: 'replace', path: '/serverInfo/name', value: 'hearth' }] }))
    expect(name.value).toBe('hearth')
    expect(db.state.value?.id).toBe(9) // ids jump: revisions that do not touch /public are not sent
  })

  it('skips a revision it already has', async () => {
    const { daemon, db } = started()
    await daemon.answer(5, { n: 1 })
    daemon.lastSocket().message(JSON.stringify({ id: 5, patch: [{ op: 'replace', path: '/n', value: 99 }] }))
    daemon.lastSocket().message(JSON.stringify({ id: 3, patch: [{ op: 'replace', path: '/n', value: 98 }] }))
    expect(db.state.value).toEqual({ id: 5, value: { n: 1 } })
  })

  it('after a drop, subscribes again after the back-off and the new dump replaces the copy', async () => {
    const { daemon, clock, db } = started()
    await daemon.answer(5, { n: 1 })
    daemon.lastSocket().closed()
    expect(db.connection.value).toBe('retrying')
    expect(daemon.subscribes).toHaveLength(1)
    clock.advance(99)
    expect(daemon.subscribes).toHaveLength(1)
    clock.advance(1)
    expect(daemon.subscribes).toHaveLength(2)
    await daemon.answer(12, { n: 7 }) // revisions 6..12 happened while it was away
    expect(db.state.value).toEqual({ id: 12, value: { n: 7 } })
    expect(db.connection.value).toBe('live')
  })

  it('backs off longer while subscribing fails, and the first applied revision resets it', async () => {
    const { daemon, clock } = started()
    daemon.subscribes[0]!.reject(new Error('down'))
    await settle()
    expect(clock.pending()).toEqual([100])
    clock.advance(100)
    daemon.subscribes[1]!.reject(new Error('down'))
    await settle()
    expect(clock.pending()).toEqual([200])
    clock.advance(200)
    daemon.subscribes[2]!.reject(new Error('down'))
    await settle()
    expect(clock.pending()).toEqual([400])
    clock.advance(400)
    daemon.subscribes[3]!.reject(new Error('down'))
    await settle()
    expect(clock.pending()).toEqual([400]) // the last wait repeats
    clock.advance(400)
    await daemon.answer(1, { n: 0 })
    daemon.lastSocket().closed() // accepted, then dropped before delivering: still backing off
    expect(clock.pending()).toEqual([400])
    clock.advance(400)
    await daemon.answer(2, { n: 0 })
    daemon.lastSocket().message(JSON.stringify({ id: 3, patch: [{ op: 'replace', path: '/n', value: 1 }] }))
    daemon.lastSocket().closed()
    expect(clock.pending()).toEqual([100])
  })

  it('a patch that does not fit means the copy drifted: the socket is closed and a dump fetched', async () => {
    const { daemon, clock, db } = started()
    await daemon.answer(5, { n: 1 })
    const first = daemon.lastSocket()
    first.message(JSON.stringify({ id: 6, patch: [{ op: 'remove', path: '/missing' }] }))
    expect(first.isClosed).toBe(true)
    expect(db.state.value).toEqual({ id: 5, value: { n: 1 } }) // nothing half-applied
    clock.advance(100)
    await daemon.answer(6, { n: 2 })
    expect(db.state.value).toEqual({ id: 6, value: { n: 2 } })
    // A late frame on the old socket changes nothing.
    first.message(JSON.stringify({ id: 7, patch: [{ op: 'replace', path: '/n', value: 3 }] }))
    expect(db.state.value?.id).toBe(6)
  })

  it('a frame that is not a revision is treated as drift', async () => {
    const { daemon, clock } = started()
    await daemon.answer(5, { n: 1 })
    for (const junk of ['not json', '{"id":"6","patch":[]}', '{"id":6,"patch":[{"op":"add","path":"/x"}]}']) {
      daemon.lastSocket().message(junk)
      expect(daemon.lastSocket().isClosed, junk).toBe(true)
      clock.advance(400)
      await daemon.answer(5, { n: 1 })
    }
  })

  it('waits for the revision of its own call, nudges included, or gives up after the timeout', async () => {
    const { daemon, clock, db } = started()
    await daemon.answer(5, { n: 1 })
    expect(await db.waitFor(4, 1000)).toBe(true)
    let reached: boolean | undefined
    void db.waitFor(8, 1000).then((r) => (reached = r))
    daemon.lastSocket().message(JSON.stringify({ id: 7, patch: [] }))
    await settle()
    expect(reached).toBeUndefined()
    daemon.lastSocket().message(JSON.stringify({ id: 8, patch: [] })) // a nudge (rpc.md §3.3)
    await settle()
    expect(reached).toBe(true)
    let late: boolean | undefined
    void db.waitFor(20, 1000).then((r) => (late = r))
    clock.advance(1000)
    await settle()
    expect(late).toBe(false)
  })

  it('stops for good: no socket, no retry', async () => {
    const { daemon, clock, db } = started()
    await daemon.answer(5, { n: 1 })
    db.stop()
    expect(daemon.lastSocket().isClosed).toBe(true)
    expect(db.connection.value).toBe('stopped')
    daemon.lastSocket().closed()
    clock.advance(10_000)
    expect(daemon.subscribes).toHaveLength(1)
  })
})
