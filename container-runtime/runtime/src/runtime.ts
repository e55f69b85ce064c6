/**
 * The eight service-socket methods (spec §2.3): what the runtime does with the package bundle
 * when the host asks. The socket itself is in server.ts.
 *
 * Readiness: the bundle is loaded by the first `init`. `start` and `stop` need `init` to have
 * finished. `execute` is served as soon as `init` is running, because effects that `init` makes
 * (`action.export`, `action.create-task`) can make the host call back into this runtime for
 * `getInput` before `init` returns (§2.6); upstream refuses those calls and the host re-checks
 * later, we answer them. After a failed `init`, `execute` is refused again until one succeeds.
 */
import type { Effects } from '@start9labs/start-sdk/node_modules/@start9labs/start-core/Effects'
import { Callbacks, Context } from './context'
import { makeEffects } from './effects'
import type { Target } from './exver'
import type { HostCall } from './host'
import {
  dispatchFailure,
  isRecord,
  lifecycleFailure,
  methodNotFound,
  procedureFailure,
  RpcError,
} from './rpc'

/**
 * Modules only `init` and `exit` need, loaded on first use: the exver parser pulls in node's
 * crypto (object-hash), and the bundle loader vm and the one-byte scanner. Left out of the
 * runtime's start, they make it answer sooner (see README, "Start").
 */
const lazy = {
  exver: (): typeof import('./exver') => require('./exver'),
  bundle: (): typeof import('./bundle') => require('./bundle'),
}

type InitKind = 'install' | 'update' | 'restore' | null
type Daemons = { term(): Promise<unknown> }
type Action = {
  getInput(options: { effects: Effects; prefill: unknown }): Promise<unknown>
  run(options: { effects: Effects; input: unknown }): Promise<unknown>
}

/** What the bundle exports (spec §1.2); `manifest` is not used at run time. */
export type Bundle = {
  init(options: { effects: Effects; kind: InitKind }): Promise<unknown>
  uninit(options: { effects: Effects; target: Target }): Promise<unknown>
  main(options: { effects: Effects }): Promise<{ build(): Promise<Daemons> }>
  createBackup(options: { effects: Effects }): Promise<unknown>
  actions: { get(actionId: string): Action | undefined }
}

export type RuntimeOptions = {
  bundlePath: string
  host: HostCall
  /** Enables `eval`, which runs arbitrary code: never in production. */
  debug: boolean
}

export class Runtime {
  private readonly callbacks = new Callbacks()
  private readonly root = Context.root(this.callbacks)
  private bundle: Bundle | null = null
  private initRun: Promise<void> | null = null
  private initContext: Context | null = null
  private initialized = false
  private main: { context: Context; started: Promise<Daemons> } | null = null
  private stopping: Promise<void> | null = null
  /** Set once `exit` is under way: the process ends with this code after the reply. */
  exitCode: number | null = null

  constructor(private readonly options: RuntimeOptions) {}

  handle(method: string, params: unknown): Promise<unknown> {
    switch (method) {
      case 'init':
        return this.init(record(params))
      case 'start':
        return this.start()
      case 'stop':
        return this.stop()
      case 'execute':
      case 'sandbox': // declared but unimplemented upstream; the same as execute
        return this.execute(record(params))
      case 'callback':
        return this.callback(record(params))
      case 'exit':
        return this.exit(record(params))
      case 'eval':
        if (this.options.debug) return this.eval(record(params))
    }
    throw methodNotFound(method)
  }

  /** Stops main and leaves every context: what SIGTERM does before the process ends. */
  async shutdown(): Promise<void> {
    try {
      await this.stopMain()
    } finally {
      this.leave(this.root)
    }
  }

  private async init(params: Record<string, unknown>): Promise<null> {
    const eventId = guid(params)
    const kind = params.kind ?? null
    if (kind !== null && kind !== 'install' && kind !== 'update' && kind !== 'restore') {
      throw invalid(`init kind ${JSON.stringify(kind)} is not install, update, restore or null`)
    }
    if (this.initialized) return null
    // A second init while the first runs waits for it; after a failure the next one tries again.
    this.initRun ??= this.runInit(eventId, kind).finally(() => (this.initRun = null))
    await this.initRun
    return null
  }

  private async runInit(eventId: string, kind: InitKind): Promise<void> {
    try {
      const bundle = this.load()
      if (this.initContext) this.leave(this.initContext) // what a failed attempt left behind
      const context = (this.initContext = this.root.child('init'))
      await bundle.init({ effects: this.effects(context, eventId), kind })
      this.initialized = true
      lazy.bundle().releaseSource()
    } catch (e) {
      throw lifecycleFailure(e)
    }
  }

  private async start(): Promise<null> {
    const bundle = this.requireInitialized()
    await this.stopping?.catch(() => {}) // the old daemons must be gone before new ones bind
    if (this.main) {
      await this.main.started.catch((e) => Promise.reject(lifecycleFailure(e)))
      return null
    }
    const context = this.root.child('main')
    const effects: Effects = this.effects(
      context,
      null,
      once(() => {
        if (context.isInContext) effects.restart().catch((e) => console.error('restart failed:', e))
      }),
    )
    const started = bundle.main({ effects }).then((daemons) => daemons.build())
    const main = (this.main = { context, started })
    try {
      await started
      lazy.bundle().releaseSource()
    } catch (e) {
      if (this.main === main) {
        this.main = null
        this.leave(context)
      }
      throw lifecycleFailure(e)
    }
    return null
  }

  private async stop(): Promise<null> {
    this.requireInitialized()
    await this.stopMain().catch((e) => Promise.reject(lifecycleFailure(e)))
    return null
  }

  /** Leaves the main context (the SDK's cleanup runs there), then terminates the daemons. */
  private stopMain(): Promise<void> {
    const main = this.main
    if (main) {
      this.main = null
      this.leave(main.context)
      this.stopping = main.started
        .then((daemons) => daemons.term(), () => {}) // a failed start was reported to its caller
        .then(() => {})
        .finally(() => (this.stopping = null))
    }
    return this.stopping ?? Promise.resolve()
  }

  private async execute(params: Record<string, unknown>): Promise<unknown> {
    const eventId = guid(params)
    const { procedure, input, timeout } = params
    if (typeof procedure !== 'string') throw invalid('execute needs a procedure')
    const run = this.procedure(procedure, input)
    const bundle = this.bundleForExecute()
    const context = this.root.child(procedure)
    try {
      const result = await withTimeout(run(bundle, this.effects(context, eventId)), timeout)
      return result ?? null
    } catch (e) {
      throw procedureFailure(e)
    } finally {
      this.leave(context)
    }
  }

  /** The bundle call for `procedure` (spec §2.4), or a dispatch error if there is none. */
  private procedure(procedure: string, input: unknown): (b: Bundle, e: Effects) => Promise<unknown> {
    if (procedure === '/backup/create') return (bundle, effects) => bundle.createBackup({ effects })
    const match = /^\/actions\/([^/]+)\/(getInput|run)$/.exec(procedure)
    if (!match) throw invalid(`unknown procedure ${procedure}`)
    const [, actionId, step] = match
    const given = isRecord(input) ? input : {}
    return async (bundle, effects) => {
      const action = bundle.actions.get(actionId)
      if (!action) throw new Error(`Action ${actionId} not found`)
      return step === 'getInput'
        ? action.getInput({ effects, prefill: given.prefill ?? null })
        : action.run({ effects, input: given.input ?? null })
    }
  }

  private async callback(params: Record<string, unknown>): Promise<null> {
    if (typeof params.id !== 'number') throw invalid('callback id must be a number')
    this.callbacks.fire(params.id, Array.isArray(params.args) ? params.args : [])
    return null
  }

  /** Stops main, runs `uninit`, leaves every context. The process ends after the reply. */
  private async exit(params: Record<string, unknown>): Promise<null> {
    const eventId = guid(params)
    if (params.target !== null && typeof params.target !== 'string') {
      throw invalid('exit target must be a string or null')
    }
    let target: Target
    try {
      target = lazy.exver().parseTarget(params.target)
    } catch (e) {
      throw dispatchFailure(e)
    }
    this.exitCode = 1
    try {
      await this.stopMain()
      // Loads the bundle if no init ever did: uninstalling a package whose init failed still
      // gives it its uninit.
      const bundle = this.load()
      await bundle.uninit({ effects: this.effects(this.root.child('exit'), eventId), target })
      this.exitCode = 0
      return null
    } catch (e) {
      throw lifecycleFailure(e)
    } finally {
      this.leave(this.root)
    }
  }

  private async eval(params: Record<string, unknown>): Promise<unknown> {
    if (typeof params.script !== 'string') throw invalid('eval needs a script')
    const fn = new Function(`return (async () => (${params.script})).call(this)`)
    return (await fn.call({ runtime: this, require })) ?? null
  }

  private load(): Bundle {
    this.bundle ??= lazy.bundle().loadBundle(this.options.bundlePath) as Bundle
    return this.bundle
  }

  /** Served while init runs too (see the top of this file), not after a failed init. */
  private bundleForExecute(): Bundle {
    if (this.bundle && (this.initialized || this.initRun)) return this.bundle
    throw notInitialized()
  }

  private requireInitialized(): Bundle {
    if (!this.initialized || !this.bundle) throw notInitialized()
    return this.bundle
  }

  private effects(context: Context, eventId: string | null, constRetry?: () => void): Effects {
    return makeEffects(context, eventId, this.options.host, constRetry)
  }

  /** Leaves `context` and tells the host to forget the callbacks that went with it. */
  private leave(context: Context): void {
    const dropped = context.leave()
    if (dropped.length === 0) return
    this.options
      .host('clear-callbacks', { only: dropped })
      .catch((e) => console.error('clear-callbacks failed:', e))
  }
}

function record(params: unknown): Record<string, unknown> {
  if (params === undefined || params === null) return {}
  if (!isRecord(params)) throw invalid('params must be an object')
  return params
}

function guid(params: Record<string, unknown>): string {
  if (typeof params.id !== 'string') throw invalid('params.id must be a string')
  return params.id
}

function invalid(message: string): RpcError {
  return dispatchFailure(new Error(message))
}

function notInitialized(): RpcError {
  return dispatchFailure(new Error('System not initialized'))
}

function withTimeout<T>(work: Promise<T>, timeout: unknown): Promise<T> {
  if (typeof timeout !== 'number' || timeout <= 0) return work
  let timer: NodeJS.Timeout | undefined
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${timeout} ms`)), timeout)
  })
  return Promise.race([work, expired]).finally(() => clearTimeout(timer))
}

function once(fn: () => void): () => void {
  let done = false
  return () => {
    if (!done) {
      done = true
      fn()
    }
  }
}
