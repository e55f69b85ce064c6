// The web UI's budgets (issue 13), each printed beside its target:
// - the first load's JavaScript and CSS, gzipped (≤ 150 KB);
// - first load on loopback to interactive (≤ 500 ms): a logged-in browser with an empty cache opens
//   the server's address; done when the services page shows the daemon's data (median of 10);
// - a database change reaching the screen (p95 ≤ 100 ms over 100 changes): a notification created
//   from the page until the unread counter shows it at the next frame (from the call's send, so an
//   upper bound of the time from the daemon's commit);
// - the dashboard with 50 services under a stream of revisions (no frame over 50 ms).
// Run by `make bench` after the build: `npm run bench` in web/.
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import http from 'node:http'
import os from 'node:os'
import path from 'node:path'
import zlib from 'node:zlib'
import { freePort, launchChromium, startDaemon, stopDaemon, until, web } from '../e2e/harness.mjs'

const PASSWORD = 'a long bench sentence, 42'

const line = (what, value, target, ok) => console.log(`${what.padEnd(58)} ${value.padStart(10)}   target ${target}${ok ? '' : '   MISSED'}`)
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
const percentile = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil((p / 100) * xs.length) - 1)]

// 1. What the first load fetches: index.html's scripts and stylesheets, gzipped as a server would.
const dist = path.join(web, 'dist')
const index = fs.readFileSync(path.join(dist, 'index.html'), 'utf8')
const firstLoad = [...index.matchAll(/(?:src|href)="\/?([^"]+\.(?:js|css))"/g)].map((m) => m[1])
let gz = zlib.gzipSync(index, { level: 9 }).length
for (const file of firstLoad) gz += zlib.gzipSync(fs.readFileSync(path.join(dist, file)), { level: 9 }).length
line(`first load: ${firstLoad.length + 1} files gzipped`, `${(gz / 1024).toFixed(1)} KB`, '≤ 150 KB', gz <= 150 * 1024)

const port = await freePort()
const base = `http://127.0.0.1:${port}`
const data = fs.mkdtempSync(path.join(os.tmpdir(), 'hearth-ui-bench-'))
const startd = startDaemon(data, port, { log: path.join(web, 'target', 'bench-startd.log') })
const browser = await launchChromium()
const server = dashboardServer()
try {
  await until(async () => (await fetch(base + '/')).ok, 'startd answering on ' + base)
  const setup = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US' })
  const page = await setup.newPage()
  await page.goto(base + '/')
  await page.getByRole('button', { name: 'English' }).click()
  await page.getByLabel('Server name').fill('Bench Box')
  await page.getByLabel('Master password').fill(PASSWORD)
  await page.getByLabel('Repeat the password').fill(PASSWORD)
  await page.getByRole('button', { name: 'Start fresh' }).click()
  await page.getByRole('button', { name: 'Go to the server' }).click({ timeout: 60_000 })
  await page.getByLabel('Master password').fill(PASSWORD)
  await page.getByRole('button', { name: 'Log in' }).click()
  await page.getByText('No services are installed yet.').waitFor()
  const session = await setup.storageState()

  // 2. First load to interactive, each in a new context (empty cache) with the session's cookie.
  const loads = []
  for (let i = 0; i < 11; i++) {
    const context = await browser.newContext({ storageState: session, viewport: { width: 1280, height: 800 } })
    const p = await context.newPage()
    await p.goto(base + '/', { waitUntil: 'commit' })
    const at = await p.waitForFunction(() => document.querySelector('.empty') !== null && document.querySelector('header .server')?.textContent === 'Bench Box' && performance.now())
    if (i > 0) loads.push(await at.jsonValue()) // the first warms the daemon
    await context.close()
  }
  line('first load to interactive, median of 10', `${median(loads).toFixed(0)} ms`, '≤ 500 ms', median(loads) <= 500)

  // 3. A database change on the screen.
  const delays = await page.evaluate(async (n) => {
    const count = () => Number(document.querySelector('nav .count')?.textContent ?? '0')
    const out = []
    for (let i = 0; i < n; i++) {
      const before = count()
      const t0 = performance.now()
      const shown = new Promise((resolve) => {
        const observer = new MutationObserver(() => {
          if (count() > before) {
            observer.disconnect()
            requestAnimationFrame(() => resolve(performance.now()))
          }
        })
        observer.observe(document.body, { subtree: true, childList: true, characterData: true })
      })
      void fetch('/rpc/v1', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ jsonrpc: '2.0', id: i, method: 'notification.create', params: { level: 'info', title: `bench ${i}`, message: '' } }) })
      out.push((await shown) - t0)
    }
    return out
  }, 100)
  const p95 = percentile(delays, 95)
  line('database change to screen, p95 of 100 (from the call)', `${p95.toFixed(0)} ms`, '≤ 100 ms', p95 <= 100)
  console.log(`  (median ${median(delays).toFixed(0)} ms, max ${Math.max(...delays).toFixed(0)} ms)`)

  // 4. The dashboard with 50 services while 50 revisions a second stream in for 5 s.
  const dash = await browser.newPage({ viewport: { width: 1280, height: 800 } })
  await dash.goto(`http://127.0.0.1:${server.address().port}/dashboard.html`)
  await dash.waitForFunction(() => document.querySelectorAll('li.service').length === 50)
  const run = await dash.evaluate(() => globalThis.runDashboard(5000, 50))
  const worst = Math.max(...run.frames)
  line(`dashboard, 50 services, ${run.revisions} revisions in 5 s: longest frame`, `${worst.toFixed(0)} ms`, '≤ 50 ms', worst <= 50)
  console.log(`  (${run.frames.length} frames, p99 ${percentile(run.frames, 99).toFixed(0)} ms; long animation frames: ${run.longTasks.length})`)
} finally {
  await browser.close()
  server.close()
  await stopDaemon(startd)
  fs.rmSync(data, { recursive: true, force: true })
}

/** Serves the built dashboard page (vite.bench.config.ts) on a loopback port. */
function dashboardServer() {
  const dir = path.join(web, 'target', 'bench-dashboard')
  execFileSync('npx', ['vite', 'build', '--config', 'vite.bench.config.ts', '--logLevel', 'warn'], { cwd: web, stdio: 'inherit' })
  const types = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css' }
  return http
    .createServer((req, res) => {
      const file = path.join(dir, path.normalize(decodeURIComponent(new URL(req.url, 'http://x').pathname)).replace(/^(\.\.[/\\])+/, ''))
      if (!file.startsWith(dir) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
        res.writeHead(404).end()
        return
      }
      res.writeHead(200, { 'Content-Type': types[path.extname(file)] ?? 'application/octet-stream' }).end(fs.readFileSync(file))
    })
    .listen(0, '127.0.0.1')
}
