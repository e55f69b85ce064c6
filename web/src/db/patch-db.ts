import { computed, signal, type ReadonlySignal } from '@preact/signals'
import { isObject, type Json } from './json'
import { applyPatch, PatchError, type Operation } from './patch'
import { parsePointer, valueAt } from './pointer'

/** The database at one revision. */
export type Snapshot = { readonly id: number; readonly value: Json }

/** What `db.subscribe` returns (rpc.md §3). */
export type Subscription = { dump: Snapshot; guid: string }

/** An open continuation socket. */
export interface Socket {
  close(): void
}

/** How the client reaches the daemon: the RPC call and the continuation's WebSocket. */
export interface DbTransport {
  subscribe(): Promise<Subscription>
  open(guid: string, on: { message(text: string): void; closed(): void }): Socket
}

/** Timers, replaceable in tests. */
export interface Clock {
  setTimeout(fn: () => void, ms: number): unknown
  clearTimeout(handle: unknown): void
}

export type ConnectionState = 'connecting' | 'live' | 'retrying' | 'stopped'

/** The waits between reconnection attempts, in ms; the last one repeats. */
export const BACKOFF_MS: readonly number[] = [250, 500, 1000, 2000, 4000, 8000]

/**
 * The browser's copy of the daemon's public database, live: a dump from `db.subscribe`, then one
 * patch per revision over the continuation's WebSocket (rpc.md §3, patchdb.md §4).
 *
 * A dropped socket, a failed subscribe, a frame that is not a revision or a patch that does not
 * fit the copy (it has drifted) makes it subscribe again, after a back-off that grows until a
 * revision applies. The new dump replaces the copy. Revisions at or below the copy's are skipped; gaps between ids are normal (the server
 * sends only revisions that touch the subscribed part).
 */
export class PatchDb {
  private readonly snapshot = signal<Snapshot | null>(null)
  private readonly connectionState = signal<ConnectionState>('stopped')
  private readonly waiters = new Set<{ sequence: number; resolve: (reached: boolean) => void }>()
  private socket: Socket | null = null
  private retry: unknown = null
  private failures = 0
  private generation = 0 // bumped by every (re)connection: late callbacks of an old one are ignored

  constructor(
    private readonly transport: DbTransport,
    private readonly clock: Clock = globalThis,
    private readonly backoff: readonly number[] = BACKOFF_MS,
  ) {}

  /** The copy, null until the first dump. */
  get state(): ReadonlySignal<Snapshot | null> {
    return this.snapshot
  }

  get connection(): ReadonlySignal<ConnectionState> {
    return this.connectionState
  }

  start(): void {
    if (this.connectionState.value !== 'stopped') return
    this.connect()
  }

  stop(): void {
    this.generation++
    this.connectionState.value = 'stopped'
    this.socket?.close()
    this.socket = null
    if (this.retry !== null) this.clock.clearTimeout(this.retry)
    this.retry = null
  }

  /** The value at an RFC 6901 pointer into the public model, undefined where there is none. */
  select<T extends Json = Json>(pointer: string): ReadonlySignal<T | undefined> {
    const tokens = parsePointer(pointer)
    return computed(() => {
      const s = this.snapshot.value
      return s === null ? undefined : (valueAt(s.value, tokens) as T | undefined)
    })
  }

  /**
   * Resolves once the copy has reached revision `sequence` (a call's `X-Patch-Sequence`), with
   * true; with false if `timeoutMs` passes first (the page then catches up when the copy does).
   */
  waitFor(sequence: number, timeoutMs: number): Promise<boolean> {
    const s = this.snapshot.value
    if (s !== null && s.id >= sequence) return Promise.resolve(true)
    return new Promise((resolve) => {
      const waiter = {
        sequence,
        resolve: (reached: boolean) => {
          this.waiters.delete(waiter)
          this.clock.clearTimeout(timer)
          resolve(reached)
        },
      }
      const timer = this.clock.setTimeout(() => waiter.resolve(false), timeoutMs)
      this.waiters.add(waiter)
    })
  }

  private connect(): void {
    const generation = ++this.generation
    this.retry = null
    this.connectionState.value = this.failures === 0 ? 'connecting' : 'retrying'
    this.transport.subscribe().then(
      ({ dump, guid }) => {
        if (generation !== this.generation) return
        this.set(dump)
        this.socket = this.transport.open(guid, {
          message: (text) => {
            if (generation === this.generation) this.receive(text)
          },
          closed: () => {
            if (generation === this.generation) this.reconnect()
          },
        })
        this.connectionState.value = 'live'
      },
      () => {
        if (generation === this.generation) this.reconnect()
      },
    )
  }

  /**
   * Subscribes again after the back-off. Drift waits too: a server that keeps sending what does
   * not fit must not get a subscribe in a tight loop.
   */
  private reconnect(): void {
    this.generation++
    this.socket?.close()
    this.socket = null
    const wait = this.backoff[Math.min(this.failures, this.backoff.length - 1)] ?? 1000
    this.failures++
    this.connectionState.value = 'retrying'
    this.retry = this.clock.setTimeout(() => this.connect(), wait)
  }

  private receive(text: string): void {
    let revision: { id: number; patch: Operation[] }
    try {
      const parsed: unknown = JSON.parse(text)
      if (!isRevision(parsed)) throw new PatchError('not a revision')
      revision = parsed
    } catch {
      this.reconnect()
      return
    }
    const current = this.snapshot.value
    if (current === null || revision.id <= current.id) return // already in the copy
    try {
      this.set({ id: revision.id, value: applyPatch(current.value, revision.patch) })
      // A socket that delivers is a healthy one: the next drop waits the shortest time again.
      // (Not at subscribe: a server that accepts and then drops at once must not be hammered.)
      this.failures = 0
    } catch (e) {
      if (!(e instanceof PatchError)) throw e
      this.reconnect() // the copy has drifted: a fresh dump replaces it
    }
  }

  private set(snapshot: Snapshot): void {
    this.snapshot.value = snapshot
    for (const w of [...this.waiters]) if (w.sequence <= snapshot.id) w.resolve(true)
  }
}

function isRevision(v: unknown): v is { id: number; patch: Operation[] } {
  if (typeof v !== 'object' || v === null) return false
  const r = v as { id?: unknown; patch?: unknown }
  return Number.isSafeInteger(r.id) && Array.isArray(r.patch) && r.patch.every(isOperation)
}

function isOperation(v: unknown): v is Operation {
  if (typeof v !== 'object' || v === null) return false
  const o = v as { op?: unknown; path?: unknown; value?: unknown }
  if (typeof o.path !== 'string') return false
  if (o.op === 'remove') return true
  return (o.op === 'add' || o.op === 'replace') && o.value !== undefined
}
