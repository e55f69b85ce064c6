// What the end-to-end run and the UI budgets share: a real startd from the built jar on loopback,
// the containers' network namespace, Debian's Chromium, and a patient wait.
import assert from 'node:assert/strict'
import { execFileSync, spawn } from 'node:child_process'
import crypto from 'node:crypto'
import fs from 'node:fs'
import net from 'node:net'
import path from 'node:path'
import { chromium } from 'playwright-core'

export const web = path.resolve(import.meta.dirname, '..')
export const root = path.resolve(web, '..')
export const RUNTIME_IMAGE = path.join(root, 'container-runtime', 'target', 'runtime.squashfs')

/**
 * A network namespace for this run holding the containers' bridge (containers-lab.md): its 10.x
 * subnet exists only inside it, so nothing the services do reaches another address. The page and
 * the test reach services only through the daemon's forwards on 127.0.0.1.
 */
export function containerNetwork() {
  const id = crypto.randomBytes(3)
  const hex = id.toString('hex')
  const netns = `hearth-e${hex}`
  const bridge = `br-e${hex}`
  const subnet = `10.${id[0]}.${id[1]}`
  execFileSync('ip', ['netns', 'add', netns])
  execFileSync('ip', ['-n', netns, 'link', 'set', 'lo', 'up'])
  execFileSync('ip', ['-n', netns, 'link', 'add', bridge, 'type', 'bridge'])
  execFileSync('ip', ['-n', netns, 'addr', 'add', `${subnet}.1/24`, 'dev', bridge])
  execFileSync('ip', ['-n', netns, 'link', 'set', bridge, 'up'])
  return { netns, bridge, subnet: `${subnet}.0/24`, delete: () => execFileSync('ip', ['netns', 'delete', netns]) }
}

/**
 * startd from the build on `127.0.0.1:<port>` (HTTPS and forwards on loopback too), with a data and
 * run directory of its own (root's default run directory, /run/startos, is the real one's); with
 * `network`, services run on real LXC in that namespace.
 */
export function startDaemon(dir, listenPort, { network = null, registry = null, log = path.join(web, 'target', 'e2e-startd.log') } = {}) {
  const javaHome = execFileSync(path.join(root, 'scripts', 'java-home.sh'), { encoding: 'utf8' }).trim()
  const jvm = fs.readFileSync(path.join(root, 'startd', 'src', 'main', 'dist', 'jvm.options'), 'utf8').trim().split(/\s+/)
  const jar = path.join(root, 'startd', 'target', 'startd.jar')
  assert.ok(fs.existsSync(jar), `no ${jar}: build startd first (make test does)`)
  fs.mkdirSync(path.dirname(log), { recursive: true })
  const out = fs.openSync(log, 'w')
  // Never the public registries: without one of the run's own, a loopback port nothing listens on.
  const args = ['--data-dir', dir, '--run-dir', path.join(dir, 'run'), '--listen', `127.0.0.1:${listenPort}`, '--tls', '127.0.0.1:0', '--forward-bind', '127.0.0.1', '--power', 'stop', '--registry', registry ?? 'http://127.0.0.1:9/']
  if (network !== null) {
    assert.ok(fs.existsSync(RUNTIME_IMAGE), `no ${RUNTIME_IMAGE}: make -C container-runtime builds it (make test does)`)
    args.push('--runtime-image', RUNTIME_IMAGE, '--bridge', network.bridge, '--subnet', network.subnet, '--netns', network.netns)
  }
  return spawn(path.join(javaHome, 'bin', 'java'), [...jvm, '-jar', jar, ...args], { stdio: ['ignore', out, out] })
}

/**
 * A start-registry from the build on a free loopback port, its data in `dir`, whose admin is the
 * key that signed the example packages; `files` are published to it with start-cli, and it gets an
 * icon and categories, as `make run`'s demo registry does.
 */
export async function startRegistry(dir, files, { categories = {} } = {}) {
  const javaHome = execFileSync(path.join(root, 'scripts', 'java-home.sh'), { encoding: 'utf8' }).trim()
  const jar = path.join(root, 'start-registry', 'target', 'start-registry.jar')
  const cli = path.join(root, 'start-cli', 'target', 'start-cli')
  const key = path.join(root, 'start-cli', 'target', 'example-packages-home', '.startos', 'developer.key.pem')
  for (const f of [jar, cli, key, ...files]) assert.ok(fs.existsSync(f), `no ${f}: make test's Maven build makes it`)
  const port = await freePort()
  const url = `http://127.0.0.1:${port}/`
  const admin = path.join(dir, 'admin.pem')
  fs.writeFileSync(admin, execFileSync(cli, ['--developer-key-path', key, 'pubkey']))
  const log = path.join(dir, 'registry.log')
  const out = fs.openSync(log, 'w')
  const registry = spawn(
    path.join(javaHome, 'bin', 'java'),
    ['-XX:+UseSerialGC', '-Xmx128m', '-jar', jar, '--data-dir', path.join(dir, 'data'), '--listen', `127.0.0.1:${port}`, '--hostname', '127.0.0.1', '--hostname', 'localhost', '--name', 'E2E Registry', '--admin', admin],
    { stdio: ['ignore', out, out] },
  )
  await until(() => fs.readFileSync(log, 'utf8').includes('start-registry ready'), 'start-registry ready', 30_000)
  const run = (...args) => execFileSync(cli, ['--developer-key-path', key, '-r', url, ...args], { encoding: 'utf8' })
  for (const f of files) run('s9pk', 'publish', f)
  run('registry', 'info', 'set-icon', path.join(root, 'packages', 'hello-world', 'icon.svg'))
  for (const [id, { name, packages }] of Object.entries(categories)) {
    run('registry', 'package', 'category', 'add', id, name)
    for (const p of packages) run('registry', 'package', 'category', 'add-package', id, p)
  }
  return {
    url,
    port,
    stop: async () => {
      if (registry.exitCode !== null) return
      registry.kill('SIGTERM')
      await new Promise((r) => registry.once('exit', r))
    },
  }
}

/** Stops the daemon the way the system would (SIGTERM) and waits for it. */
export async function stopDaemon(daemon) {
  if (daemon.exitCode !== null) return
  daemon.kill('SIGTERM')
  await new Promise((r) => daemon.once('exit', r))
}

/** Debian's Chromium, headless. */
export function launchChromium({ home } = {}) {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    // As root (CI runs make test as root) Chromium refuses to start with its sandbox.
    args: process.getuid?.() === 0 ? ['--no-sandbox'] : [],
    ...(home ? { env: { ...process.env, HOME: home } } : {}),
  })
}

/**
 * A Chromium that trusts `caPem` as a person who imported the server's Root CA does: in the NSS
 * database of a home of its own (Chromium on Linux reads `~/.pki/nssdb`), so the machine's own
 * trust store and the user's home are never touched.
 */
export async function chromiumTrusting(caPem, dir) {
  const home = path.join(dir, 'chromium-home')
  const db = path.join(home, '.pki', 'nssdb')
  fs.mkdirSync(db, { recursive: true })
  const ca = path.join(home, 'root-ca.crt')
  fs.writeFileSync(ca, caPem)
  execFileSync('certutil', ['-N', '--empty-password', '-d', `sql:${db}`])
  execFileSync('certutil', ['-A', '-t', 'C,,', '-n', 'hearth-root-ca', '-i', ca, '-d', `sql:${db}`])
  return launchChromium({ home })
}

export async function until(ready, what, timeoutMs = 60_000) {
  const end = Date.now() + timeoutMs
  for (;;) {
    try {
      if (await ready()) return
    } catch {
      // not yet
    }
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 200))
  }
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer()
    s.once('error', reject)
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address()
      s.close(() => resolve(port))
    })
  })
}

/** A call with the page's cookies, as the page makes it. */
export async function rpc(page, base, method, params) {
  const r = await page.request.post(base + '/rpc/v1', { data: { jsonrpc: '2.0', id: 1, method, params } })
  const body = await r.json()
  if (body.error) throw new Error(`${method}: ${JSON.stringify(body.error)}`)
  return body.result
}
