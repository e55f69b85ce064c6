/**
 * Hearth's container runtime: the Node program inside each service container that loads the
 * package bundle and bridges it to startd (spec container-runtime.md §2, §3.2).
 *
 * It is PID 1 of the LXC container, and `lxc-stop` sends SIGTERM: on SIGTERM it stops main
 * (waiting at most 30 s) and exits 0. SIGINT and SIGHUP are only logged. Otherwise the process
 * ends only after answering `exit`.
 */
import { hostClient } from './host'
import { Runtime } from './runtime'
import { listen } from './server'

const STOP_ON_SIGTERM_MS = 30_000

const env = process.env
const debug = env.HEARTH_RUNTIME_DEBUG === '1'
const socketPath = env.HEARTH_SERVICE_SOCK ?? '/media/startos/rpc/service.sock'
const runtime = new Runtime({
  bundlePath: env.HEARTH_BUNDLE ?? '/usr/lib/startos/package/index.js',
  host: hostClient(env.HEARTH_HOST_SOCK ?? '/media/startos/rpc/host.sock'),
  debug,
})

process.on('unhandledRejection', (reason) => console.error('unhandled rejection:', reason))

for (const signal of ['SIGINT', 'SIGHUP'] as const) {
  process.on(signal, () => console.log(`runtime: received ${signal}, ignored`))
}

let terminating = false
process.on('SIGTERM', () => {
  if (terminating) return console.log('runtime: received SIGTERM again, still stopping')
  terminating = true
  console.log('runtime: received SIGTERM, stopping main')
  const deadline = new Promise<void>((resolve) => setTimeout(resolve, STOP_ON_SIGTERM_MS).unref())
  Promise.race([runtime.shutdown(), deadline.then(() => console.error('runtime: stop timed out'))])
    .catch((e) => console.error('runtime: stop failed:', e))
    .finally(() => process.exit(0))
})

listen({
  socketPath,
  debug,
  handle: (method, params) => runtime.handle(method, params),
  afterReply: (method) => {
    if (method === 'exit' && runtime.exitCode !== null) process.exit(runtime.exitCode)
  },
}).then(
  () => console.log(`runtime: listening on ${socketPath}`),
  (e) => {
    console.error(`runtime: cannot listen on ${socketPath}:`, e)
    process.exit(1)
  },
)
