// The services list with 50 services while revisions stream in, measured frame by frame: the real
// page and the real PatchDb, fed by a transport in the page (no daemon holds 50 services here).
import { render } from 'preact'
import type { Json, JsonObject } from '../src/db/json'
import { PatchDb, type DbTransport } from '../src/db/patch-db'
import { Services } from '../src/pages/Services'
import '../src/app/style.css'

const COUNT = 50
const ICON = 'data:image/svg+xml;base64,' + btoa('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 8 8"><rect width="8" height="8" fill="#369"/></svg>')

function service(i: number): Json {
  const installing = i % 10 === 9
  const manifest = { id: `svc-${i}`, title: `Service ${i}`, version: `1.${i}.0:0` }
  return {
    stateInfo: installing ? { state: 'installing', installingInfo: { newManifest: manifest, progress: { overall: { done: 0, total: 100 }, phases: [] } } } : { state: 'installed', manifest },
    statusInfo: { desired: { main: i % 3 === 0 ? 'stopped' : 'running' }, started: i % 3 === 0 ? null : '2026-12-06T00:00:00Z', error: null, health: { web: { name: 'Web', result: 'success', message: null }, db: { name: 'Database', result: 'success', message: null } } },
    icon: ICON,
    tasks: i % 7 === 0 ? { t: { active: true, task: { packageId: `svc-${i}`, actionId: 'config', severity: 'important' } } } : {},
    hosts: {},
  }
}

let push: (text: string) => void = () => {}
const packages: JsonObject = {}
for (let i = 0; i < COUNT; i++) packages[`svc-${i}`] = service(i)
const transport: DbTransport = {
  subscribe: async () => ({ dump: { id: 1, value: { serverInfo: { name: 'bench' }, packageData: packages } }, guid: 'bench' }),
  open: (_guid, on) => {
    push = on.message
    return { close: () => {} }
  },
}
const db = new PatchDb(transport)
db.start()
render(<Services db={db} />, document.getElementById('app')!)

/** Streams `rate` revisions a second for `ms`, and records every frame's interval meanwhile. */
async function run(ms: number, rate: number): Promise<{ frames: number[]; revisions: number; longTasks: number[] }> {
  await new Promise((r) => setTimeout(r, 300)) // the first render done
  const frames: number[] = []
  const longTasks: number[] = []
  const observer = new PerformanceObserver((list) => list.getEntries().forEach((e) => longTasks.push(e.duration)))
  try {
    observer.observe({ type: 'long-animation-frame', buffered: false })
  } catch {
    observer.observe({ type: 'longtask', buffered: false })
  }
  let id = 1
  let last = performance.now()
  const end = last + ms
  let running = true
  const frame = (now: number) => {
    frames.push(now - last)
    last = now
    if (running) requestAnimationFrame(frame)
  }
  requestAnimationFrame(frame)
  const timer = setInterval(() => {
    id++
    const i = id % COUNT
    const ops =
      i % 10 === 9
        ? [{ op: 'replace', path: `/packageData/svc-${i}/stateInfo/installingInfo/progress/overall`, value: { done: id % 100, total: 100 } }]
        : [
            { op: 'replace', path: `/packageData/svc-${i}/statusInfo/health/web`, value: { name: 'Web', result: id % 4 === 0 ? 'failure' : id % 4 === 1 ? 'starting' : 'success', message: `check ${id}` } },
            { op: 'replace', path: `/packageData/svc-${(i + 17) % COUNT}/statusInfo/error`, value: id % 6 === 0 ? { details: `failed at ${id}` } : null },
          ]
    push(JSON.stringify({ id, patch: ops }))
  }, 1000 / rate)
  await new Promise((r) => setTimeout(r, end - performance.now()))
  clearInterval(timer)
  running = false
  observer.disconnect()
  return { frames: frames.slice(1), revisions: id - 1, longTasks }
}

;(globalThis as unknown as { runDashboard: typeof run }).runDashboard = run
