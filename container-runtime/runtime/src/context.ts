/**
 * Effects contexts and the callback registry (spec §1.4 item 3, §2.6).
 *
 * Contexts form a tree: root → `init` | `main` | `<procedure path>` → children the SDK makes.
 * Leaving a context leaves its whole subtree: the functions given to `onLeave` run (the SDK
 * stops daemons and destroys subcontainers there) and the callbacks registered in it are dropped.
 *
 * Children are held strongly until they are left (upstream holds them through WeakRefs and
 * clears callbacks from a FinalizationRegistry). Deterministic is simpler to reason about; the cost
 * is that a context the SDK makes for a `constRetry` re-run and never leaves lives until its
 * parent is left, which is a few small objects per re-run.
 */

export type CallbackFn = (...args: unknown[]) => unknown

/** Callback ids come from one counter for the life of the process, starting at 1. */
export class Callbacks {
  private nextId = 1
  private readonly registered = new Map<number, { fn: CallbackFn; owner: Context }>()

  add(owner: Context, fn: CallbackFn): number {
    const id = this.nextId++
    this.registered.set(id, { fn, owner })
    return id
  }

  /** Callbacks fire once: the id is forgotten before the function runs. Unknown ids are ignored. */
  fire(id: number, args: unknown[]): void {
    const entry = this.registered.get(id)
    if (entry === undefined) return
    this.drop([id])
    Promise.resolve()
      .then(() => entry.fn(...args))
      .catch((e) => console.error(`callback ${id} in context ${entry.owner.path} failed:`, e))
  }

  drop(ids: Iterable<number>): void {
    for (const id of ids) {
      this.registered.get(id)?.owner.callbackIds.delete(id)
      this.registered.delete(id)
    }
  }

  get size(): number {
    return this.registered.size
  }
}

export class Context {
  readonly callbackIds = new Set<number>()
  private readonly children = new Set<Context>()
  private readonly leaveFns: Array<() => unknown> = []
  private left = false

  private constructor(
    readonly path: string,
    private readonly parent: Context | null,
    private readonly callbacks: Callbacks,
  ) {}

  static root(callbacks: Callbacks): Context {
    return new Context('', null, callbacks)
  }

  get isInContext(): boolean {
    return !this.left
  }

  /** A child of a context that was already left is born left. */
  child(name: string): Context {
    const child = new Context(this.path === '' ? name : `${this.path}/${name}`, this, this.callbacks)
    if (this.left) child.left = true
    else this.children.add(child)
    return child
  }

  /** Registers `fn` to run when this context is left; runs it at once if that already happened. */
  onLeave(fn: () => unknown): void {
    if (this.left) runLeaveFn(this.path, fn)
    else this.leaveFns.push(fn)
  }

  /** The id for `fn`, or null when the context is gone (no trigger could ever reach it). */
  addCallback(fn: CallbackFn): number | null {
    if (this.left) return null
    const id = this.callbacks.add(this, fn)
    this.callbackIds.add(id)
    return id
  }

  /**
   * Leaves this context and its subtree: runs the leave functions (children first) and drops the
   * callbacks. Returns the dropped callback ids, which the host must be told to forget.
   */
  leave(): number[] {
    if (this.left) return []
    this.parent?.children.delete(this)
    const dropped: number[] = []
    this.leaveSubtree(dropped)
    return dropped
  }

  private leaveSubtree(dropped: number[]): void {
    this.left = true
    for (const child of this.children) child.leaveSubtree(dropped)
    this.children.clear()
    for (const fn of this.leaveFns.splice(0)) runLeaveFn(this.path, fn)
    dropped.push(...this.callbackIds)
    this.callbacks.drop([...this.callbackIds])
  }
}

function runLeaveFn(path: string, fn: () => unknown): void {
  try {
    const result = fn()
    if (result instanceof Promise) result.catch((e) => console.error(`leaving context ${path}:`, e))
  } catch (e) {
    console.error(`leaving context ${path}:`, e)
  }
}
