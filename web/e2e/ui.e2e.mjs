// The web UI end to end, as a person uses it: a real startd on loopback (its jar from the build,
// a fresh data directory), Debian's Chromium driven headless by playwright-core. Fresh setup →
// login → the services page → a notification arrives live → mark it seen → another language →
// sideload's preview of a file (a package, and not one) → installing hello-world from the browser on
// real LXC (its bridge in a network namespace made here) → its service page: the critical task's
// form, start, health, its interface answering (over HTTPS too; then the server's own UI over
// HTTPS: a login there, and a live update over wss:// through the TLS proxy), instructions, log →
// uninstall → the Marketplace of a real start-registry started here (categories, search, the
// licence before install, install 1.0.0,
// the Updates badge and tab, update to 1.1.0, downgrade, switch to another flavor, a registry added
// behind its warning and removed) → the system page
// (metrics, log, a rename, the restart question) →
// the account (sessions, a password change) → a phone-sized screen → log out → log in with the
// new password. Every step leaves a screenshot in web/target/screenshots/, axe
// finds no serious or critical violation on any page, and no page logs an error (a CSP refusal
// included). Run by `make test` after the Maven build: `npm run e2e` in web/.
import assert from 'node:assert/strict'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import axe from 'axe-core'
import { chromiumTrusting, containerNetwork, freePort, launchChromium, root, rpc as call, startDaemon, startRegistry, stopDaemon, until, web } from './harness.mjs'

const shots = path.join(web, 'target', 'screenshots')
const PASSWORD = 'a long e2e sentence, 42'
const NEW_PASSWORD = 'another long sentence ✓ 43'
const HELLO_WORLD = path.join(root, 'start-cli', 'target', 'example-packages', 'hello-world', 'hello-world_x86_64.s9pk')
// hello-world 1.1.0 and its flavor #spicy:1.1.0:0 (which 1.x switches to), made from its sources by
// RegistryInstallIT earlier in make test's Maven build.
const HELLO_WORLD_NEXT = path.join(root, 'start-cli', 'target', 'registry-install-it', 'v1.1.0', 'hello-world_x86_64.s9pk')
const HELLO_WORLD_SPICY = path.join(root, 'start-cli', 'target', 'registry-install-it', 'spicy', 'hello-world_x86_64.s9pk')

fs.rmSync(shots, { recursive: true, force: true })
fs.mkdirSync(shots, { recursive: true })

const port = await freePort()
const base = `http://127.0.0.1:${port}`
const daemonLog = path.join(web, 'target', 'e2e-startd.log') // says where the UI's HTTPS is
const data = fs.mkdtempSync(path.join(os.tmpdir(), 'hearth-e2e-'))
fs.chmodSync(data, 0o711) // containers run as uid 100000, which must reach their directories
const registryDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hearth-e2e-registry-'))
const registry = await startRegistry(registryDir, [HELLO_WORLD, HELLO_WORLD_NEXT, HELLO_WORLD_SPICY], {
  categories: { examples: { name: 'Examples', packages: ['hello-world'] }, network: { name: 'Networking', packages: [] } },
})
const network = containerNetwork()
const startd = startDaemon(data, port, { network, registry: registry.url, log: daemonLog })
const problems = []
const expectedFailures = new Set() // responses a step provokes on purpose
let browser
let page
let step = 0

try {
  await until(async () => (await fetch(base + '/')).ok, 'startd answering on ' + base)
  browser = await launchChromium()
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US' })
  page = await context.newPage()
  page.on('console', (m) => m.type() === 'error' && problems.push(`console: ${m.text()}`))
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`))
  page.on('response', (r) => r.status() >= 400 && !expectedFailures.has(r.url()) && problems.push(`HTTP ${r.status()} for ${r.url()}`))

  // Setup: language first, then a fresh server.
  await page.goto(base + '/')
  await page.getByRole('heading', { name: 'Choose your language' }).waitFor()
  await check(page, 'setup-language')
  await page.getByRole('button', { name: 'English' }).click()
  await page.getByRole('heading', { name: 'Set up your server' }).waitFor()
  await page.getByLabel('Server name').fill('E2E Box')
  await page.getByLabel('Master password').fill('short')
  await page.getByLabel('Repeat the password').fill('short')
  await page.getByRole('button', { name: 'Start fresh' }).click()
  await page.getByText('Use at least 8 characters.').waitFor()
  await page.getByLabel('Master password').fill(PASSWORD)
  await page.getByText('Strong.').waitFor()
  await page.getByLabel('Repeat the password').fill(PASSWORD)
  await check(page, 'setup-form')
  await page.getByRole('button', { name: 'Start fresh' }).click()
  await page.getByRole('heading', { name: 'Your server is ready' }).waitFor({ timeout: 60_000 })
  const ca = await page.request.get(base + (await page.getByRole('link', { name: 'Download the root certificate' }).getAttribute('href')))
  assert.match(await ca.text(), /^-----BEGIN CERTIFICATE-----/)
  await check(page, 'setup-done')
  await page.getByRole('button', { name: 'Go to the server' }).click()

  // Login: a wrong password is said so, the right one opens the services.
  await page.getByRole('heading', { name: 'Log in' }).waitFor({ timeout: 30_000 })
  await page.getByLabel('Master password').fill('not the password')
  await page.getByRole('button', { name: 'Log in' }).click()
  await page.getByText('The password is not correct.').waitFor()
  await check(page, 'login-refused')
  await page.getByLabel('Master password').fill(PASSWORD)
  await page.getByRole('button', { name: 'Log in' }).click()
  await page.getByRole('heading', { name: 'Services' }).waitFor()
  await page.getByText('E2E Box').waitFor()
  await page.getByText('No services are installed yet.').waitFor()
  await check(page, 'services-empty')

  // A notification posted now appears in the navigation's counter without a reload.
  const created = await rpc(page, 'notification.create', { level: 'warning', title: 'Disk almost full', message: 'Only 5% left on the data drive.' })
  assert.equal(typeof created, 'number')
  await page.locator('nav .count').filter({ hasText: '1' }).waitFor()
  await check(page, 'services-unread')
  await page.getByRole('link', { name: /Notifications/ }).click()
  await page.getByText('Disk almost full').waitFor()
  await check(page, 'notifications')
  await page.getByRole('button', { name: 'Mark as seen' }).click()
  await page.locator('nav .count').waitFor({ state: 'detached' })
  await page.getByRole('button', { name: 'Mark as unseen' }).waitFor()

  // Another language, kept on the server: a new page load comes back in it.
  await page.getByLabel('Language').selectOption('de')
  await page.getByRole('heading', { name: 'Benachrichtigungen' }).waitFor()
  await check(page, 'notifications-de')
  await page.reload()
  await page.getByRole('heading', { name: 'Benachrichtigungen' }).waitFor()
  await page.getByLabel('Sprache').selectOption('en')
  await page.getByRole('heading', { name: 'Notifications' }).waitFor()

  // Sideload: the file is read in the browser first; a file that is not a package says so, and
  // nothing is sent until the person asks.
  await page.getByRole('link', { name: 'Sideload' }).click()
  await page.getByRole('heading', { name: 'Sideload a package' }).waitFor()
  await page.locator('#package-file').setInputFiles(path.join(web, 'e2e', 'ui.e2e.mjs'))
  await page.getByText('This file cannot be installed: not a service package (.s9pk).').waitFor()
  assert.ok(fs.existsSync(HELLO_WORLD), `no ${HELLO_WORLD}: the start-cli build makes the example packages`)
  await page.locator('#package-file').setInputFiles(HELLO_WORLD)
  await page.getByRole('heading', { name: 'Hello World' }).waitFor()
  await page.getByText('New service').waitFor()
  await page.getByRole('button', { name: 'Install' }).waitFor()
  await check(page, 'sideload-preview')

  // Install it for real from the browser and use it: in English, then again in French.
  await serviceWalk(page, catalog('en'), 'Browser', 'en')
  await page.getByLabel('Language').selectOption('fr')
  await page.getByRole('link', { name: catalog('fr')('nav.sideload') }).click()
  await page.locator('#package-file').setInputFiles(HELLO_WORLD)
  await serviceWalk(page, catalog('fr'), 'Navigateur', 'fr')
  await page.getByLabel(catalog('fr')('nav.language')).selectOption('en')
  await page.getByRole('heading', { name: 'Services' }).waitFor()

  await marketplaceWalk(page)

  // System: names, live metrics, the log, a rename seen live in the header, power behind a question.
  await page.getByRole('link', { name: 'System' }).click()
  await page.getByRole('heading', { name: 'About this server' }).waitFor()
  await page.getByText('e2e-box.local', { exact: true }).waitFor()
  // The server's own addresses: its UI over TLS on loopback, listed like a service's.
  await page.getByRole('link', { name: 'All addresses of this server' }).click()
  await page.getByRole('heading', { name: 'Addresses of this server' }).waitFor()
  await page.getByRole('switch', { name: /^Reachable at https:\/\/127\.0\.0\.1:\d+$/ }).first().waitFor()
  await check(page, 'server-addresses')
  await page.getByRole('link', { name: 'System', exact: true }).click()
  await page.getByRole('heading', { name: 'About this server' }).waitFor()
  await page.getByText('Processor', { exact: true }).waitFor()
  const serverLog = page.getByRole('group', { name: 'Server log' })
  await until(async () => ((await serverLog.locator('pre.logs').textContent()) ?? '').length > 0, 'log lines on the system page', 10_000)
  await serverLog.getByRole('button', { name: 'Follow' }).click()
  await serverLog.getByRole('button', { name: 'Stop following' }).waitFor()
  const kernelLog = page.getByRole('group', { name: 'Kernel log' })
  await kernelLog.getByRole('button', { name: 'Follow' }).click()
  await kernelLog.getByRole('button', { name: 'Stop following' }).waitFor()
  await page.locator('svg.chart polyline').first().waitFor({ timeout: 15_000 }) // two samples: a line
  await page.getByLabel('Rename the server').fill('Renamed Box')
  await page.getByRole('button', { name: 'Rename', exact: true }).click()
  await page.locator('header .server').filter({ hasText: 'Renamed Box' }).waitFor()
  await check(page, 'system')
  await page.getByRole('button', { name: 'Restart' }).click()
  await page.getByText('Restart the server? Every service stops and starts again.').waitFor()
  await check(page, 'system-restart-question')
  await page.getByRole('button', { name: 'Cancel' }).click()
  await page.locator('dialog[open]').waitFor({ state: 'detached' })

  // The account: this session is marked; the password changes (sent encrypted, as at setup).
  await page.getByRole('link', { name: 'Account' }).click()
  await page.getByText('This session').waitFor()
  await page.getByLabel('Current password').fill(PASSWORD)
  await page.getByLabel('New password').fill(NEW_PASSWORD)
  await page.getByLabel('Repeat the password').fill(NEW_PASSWORD)
  await page.getByRole('button', { name: 'Change the password' }).click()
  await page.getByText('The password is changed.').waitFor()
  await check(page, 'account')

  // A phone-sized screen.
  await page.setViewportSize({ width: 390, height: 844 })
  await page.getByRole('link', { name: 'Services' }).click()
  await check(page, 'services-phone')

  // Log out: the login page, and the session no longer works.
  await page.getByRole('button', { name: 'Log out' }).click()
  await page.getByRole('heading', { name: 'Log in' }).waitFor()
  const after = await page.request.post(base + '/rpc/v1', { data: { jsonrpc: '2.0', id: 1, method: 'server.time', params: {} } })
  assert.equal((await after.json()).error?.code, 34)
  await check(page, 'logged-out')
  await page.getByLabel('Master password').fill(NEW_PASSWORD)
  await page.getByRole('button', { name: 'Log in' }).click()
  await page.getByRole('heading', { name: 'Services' }).waitFor()

  assert.deepEqual(problems, [], 'errors the pages logged')
  console.log(`web e2e: ${step} steps passed; screenshots in ${path.relative(root, shots)}/`)
} catch (e) {
  // What the page showed when the run failed, for whoever reads CI's output.
  await page?.screenshot({ path: path.join(shots, 'failure.png'), fullPage: true }).catch(() => {})
  throw e
} finally {
  await browser?.close()
  await stopDaemon(startd)
  await registry.stop()
  fs.rmSync(data, { recursive: true, force: true })
  fs.rmSync(registryDir, { recursive: true, force: true })
  network.delete()
}

/**
 * hello-world from the sideload preview on: install, its page with the critical task, the task's
 * form (refused empty, then run), start, health turning green live, its interface answering with
 * the new name, its link on the services list, instructions, the log followed, uninstall. Labels
 * come from the language's catalog, so the walk is the same in every language.
 */
async function serviceWalk(page, L, name, lang) {
  const heading = page.locator('.service-heading')
  await page.getByRole('button', { name: L('sideload.do.install'), exact: true }).click()
  await page.getByRole('button', { name: L('services.open', { title: 'Hello World' }) }).click({ timeout: 180_000 })
  await page.getByRole('heading', { name: 'Hello World', level: 1 }).waitFor()
  await heading.getByText(L('status.task-required')).waitFor()
  await page.getByText('Choose the name your page greets').waitFor() // the package's own words
  await check(page, `service-task-required-${lang}`)

  await page.locator('.tasks').getByRole('button', { name: 'Set Name' }).click()
  const form = page.locator('dialog.action-dialog')
  await form.getByLabel('Name').waitFor()
  assert.equal(await form.getByLabel('Name').inputValue(), 'World')
  await form.getByLabel('Name').fill('')
  await form.getByRole('button', { name: L('action.run') }).click()
  await form.getByText(L('form.required')).waitFor()
  await check(page, `action-form-${lang}`)
  await form.getByLabel('Name').fill(name)
  await form.getByRole('button', { name: L('action.run') }).click()
  await form.waitFor({ state: 'hidden', timeout: 60_000 })
  await page.locator('.tasks').waitFor({ state: 'detached' }) // the task is done, live

  await heading.getByRole('button', { name: L('services.start') }).click()
  await heading.getByText(L('status.running')).waitFor({ timeout: 120_000 })
  await page.locator('.checks').getByText(L('check.success')).waitFor({ timeout: 120_000 })
  await heading.getByText(L('health.success')).waitFor()
  const address = (await page.locator('.addresses code').allTextContents()).find((u) => u.startsWith('http://127.0.0.1:'))
  assert.ok(address, 'a loopback address of the Web UI interface')
  await until(async () => (await (await fetch(address)).text()).includes(`Hello, ${name}!`), `${address} greeting ${name}`)
  await page.locator('.instructions summary').click()
  await page.locator('.instructions').getByText('Open the').waitFor()
  const log = page.getByRole('group', { name: L('service.logs') })
  await log.getByRole('button', { name: L('system.logs.follow') }).click()
  await log.getByRole('button', { name: L('system.logs.stop') }).waitFor()
  await until(async () => ((await log.locator('pre.logs').textContent()) ?? '').includes('runtime'), "the service's log", 30_000)
  await check(page, `service-running-${lang}`)
  const secure = (await page.locator('.addresses code').allTextContents()).find((u) => u.startsWith('https://127.0.0.1:'))
  assert.ok(secure, 'an HTTPS loopback address of the Web UI interface')
  if (lang === 'en') await overHttps(page, L, secure, name)

  // The services list links to its web page while it runs: the first address, over HTTPS.
  await page.getByRole('link', { name: L('nav.services') }).click()
  assert.equal(await page.getByRole('link', { name: L('services.open-ui', { title: 'Hello World' }) }).getAttribute('href'), secure)
  await page.getByRole('link', { name: 'Hello World', exact: true }).click()

  await page.getByRole('button', { name: L('service.uninstall') }).click()
  const question = page.locator('dialog').filter({ hasText: L('service.uninstall.title', { title: 'Hello World' }) })
  await question.waitFor()
  await check(page, `uninstall-question-${lang}`)
  await question.getByRole('button', { name: L('service.uninstall') }).click()
  await page.getByText(L('services.none')).waitFor({ timeout: 120_000 })
}

/**
 * The Marketplace against the run's registry: browse by category and search, read the licence,
 * install hello-world 1.0.0 from its page, see the Updates badge count it and update from the
 * Updates tab, downgrade from its page, switch to its other flavor, then add a registry (behind the
 * custom-registry warning) and remove it.
 */
async function marketplaceWalk(page) {
  await page.getByRole('link', { name: 'Marketplace' }).click()
  await page.getByRole('heading', { name: 'Marketplace' }).waitFor()
  await page.getByLabel('Registry').locator('option', { hasText: 'E2E Registry' }).waitFor({ state: 'attached', timeout: 30_000 })
  const card = page.locator('.market-card').filter({ hasText: 'Hello World' })
  await card.waitFor({ timeout: 30_000 })
  await page.getByRole('button', { name: 'Networking' }).click()
  await page.getByText('No package matches.').waitFor()
  await page.getByRole('button', { name: 'Examples' }).click()
  await card.waitFor()
  await page.getByLabel('Search').fill('hello zzz')
  await page.getByText('No package matches.').waitFor()
  await page.getByLabel('Search').fill('hello')
  await card.waitFor()
  await check(page, 'marketplace')

  const installedLine = (version) => page.getByText(`Installed: ${version}, from E2E Registry.`)
  await card.getByRole('link', { name: 'Hello World' }).click()
  await page.locator('.package-title').filter({ hasText: 'Hello World' }).waitFor()
  await page.getByText('What is new in 1.1.0:0').waitFor()
  // Its licence, read by the server from the registry by byte ranges and checked before install.
  await page.locator('details.license summary').click()
  await page.locator('.license-text').getByText('MIT License').waitFor({ timeout: 30_000 })
  await page.getByLabel('Version').selectOption('1.0.0:0')
  await page.locator('.install-row button').filter({ hasText: 'Install' }).click()
  await installedLine('1.0.0:0').waitFor({ timeout: 180_000 })
  await check(page, 'marketplace-installed')

  // The badge counts the update 1.1.0 the registry offers; the Updates tab updates it.
  const badge = page.locator('nav a[href="/updates"] .count')
  await badge.filter({ hasText: '1' }).waitFor({ timeout: 30_000 })
  await page.getByRole('link', { name: /Updates/ }).click()
  const row = page.locator('.update').filter({ hasText: 'Hello World' })
  await row.getByText('1.0.0:0 → 1.1.0:0').waitFor({ timeout: 30_000 })
  await check(page, 'updates')
  await row.getByRole('button', { name: 'Update' }).click()
  await page.getByText('Everything installed is up to date here.').waitFor({ timeout: 180_000 })

  // Back on its page: 1.1.0 installed; 1.0.0 is a downgrade.
  await page.getByRole('link', { name: 'Marketplace' }).click()
  await card.getByRole('link', { name: 'Hello World' }).click()
  await installedLine('1.1.0:0').waitFor({ timeout: 180_000 })
  await badge.waitFor({ state: 'detached', timeout: 30_000 })
  await page.getByLabel('Version').selectOption('1.0.0:0')
  await page.locator('.install-row button').filter({ hasText: 'Downgrade' }).click()
  await installedLine('1.0.0:0').waitFor({ timeout: 180_000 })
  await check(page, 'marketplace-downgraded')

  // Another flavor: a switch, asked first (one flavor at a time).
  await page.getByLabel('Version').selectOption('#spicy:1.1.0:0')
  await page.locator('.install-row button').filter({ hasText: 'Switch' }).click()
  const switchQuestion = page.locator('dialog[open]')
  await switchQuestion.getByText('Only one flavor is installed at a time', { exact: false }).waitFor()
  await check(page, 'marketplace-switch-question')
  await switchQuestion.getByRole('button', { name: 'Switch', exact: true }).click()
  await installedLine('#spicy:1.1.0:0').waitFor({ timeout: 180_000 })

  // Another registry: added after its warning, shown, removed after a question.
  await page.getByText('Manage registries').click()
  await page.getByLabel('Add a registry by its address').fill(`http://localhost:${registry.port}/`)
  await page.getByRole('button', { name: 'Add', exact: true }).click()
  const question = page.locator('dialog[open]')
  await question.getByText('Anyone can run a registry.', { exact: false }).waitFor()
  await check(page, 'registry-add-question')
  await question.getByRole('button', { name: 'Add', exact: true }).click()
  const remove = page.getByRole('button', { name: 'Remove E2E Registry' })
  await remove.waitFor({ timeout: 30_000 })
  await page.locator('.hint code').filter({ hasText: `http://localhost:${registry.port}/` }).waitFor()
  await check(page, 'registry-added')
  await remove.click()
  await page.locator('dialog[open]').getByRole('button', { name: 'Remove', exact: true }).click()
  await remove.waitFor({ state: 'detached', timeout: 30_000 })
}

/** `t()` of one language, from its catalog's source (every message is one quoted string). */
function catalog(lang) {
  const source = fs.readFileSync(path.join(web, 'src', 'i18n', `${lang}.ts`), 'utf8')
  const messages = new Map()
  for (const m of source.matchAll(/^\s*'([^']+)':\s*("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'),?$/gm)) {
    const quoted = m[2]
    messages.set(m[1], quoted.startsWith('"') ? JSON.parse(quoted) : quoted.slice(1, -1).replace(/\\'/g, "'"))
  }
  return (key, params = {}) => {
    const text = messages.get(key)
    assert.ok(text !== undefined, `no ${key} in ${lang}.ts`)
    return text.replace(/\{(\w+)\}/g, (_, p) => String(params[p]))
  }
}

/**
 * The interface's addresses page (one table per gateway, the Root CA), then the service's page
 * over HTTPS in a Chromium that trusts the server's Root CA as a user who imported it: it opens
 * with no warning (issue 15).
 */
async function overHttps(page, L, secure, name) {
  await page.getByRole('link', { name: L('addresses.manage', { name: 'Web UI' }) }).click()
  const table = page.locator('table').first()
  await table.waitFor()
  await page.getByRole('switch', { name: L('addresses.toggle', { url: secure }) }).waitFor()
  await check(page, 'interface-addresses')
  await page.getByRole('link', { name: L('addresses.back', { name: 'Hello World' }) }).click()
  await page.locator('.addresses').waitFor()

  const ca = await (await fetch(`${base}/static/local-root-ca.crt`)).text()
  const trusting = await chromiumTrusting(ca, data)
  try {
    const tab = await trusting.newPage()
    const response = await tab.goto(secure)
    assert.equal(response?.status(), 200, `${secure} over TLS with the Root CA trusted`)
    await tab.getByText(`Hello, ${name}!`).waitFor()
    step++
    await tab.screenshot({ path: path.join(shots, `${String(step).padStart(2, '0')}-service-over-https.png`), fullPage: true })
    await uiOverHttps(page, trusting)
  } finally {
    await trusting.close()
  }
}

/**
 * The server's own UI over HTTPS through the daemon's TLS proxy, in a Chromium that trusts the Root
 * CA: it logs in there (a session of its own, its cookie `__Host-session`), and its live state
 * arrives over `wss://` through the same proxy: a notification posted from the plain-HTTP page
 * reaches its counter without a reload, in a frame of its socket (not a fresh subscription's dump,
 * which a page whose socket failed would fetch again).
 */
async function uiOverHttps(page, trusting) {
  const ui = fs.readFileSync(daemonLog, 'utf8').match(/startd ready \(TLS\): (https:\/\/127\.0\.0\.1:\d+)/)?.[1]
  assert.ok(ui, `the UI's HTTPS address in ${daemonLog}`)
  const context = await trusting.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US' })
  try {
    const tab = await context.newPage()
    tab.on('console', (m) => m.type() === 'error' && problems.push(`console (${ui}): ${m.text()}`))
    tab.on('pageerror', (e) => problems.push(`page error (${ui}): ${e.message}`))
    tab.on('response', (r) => r.status() >= 400 && problems.push(`HTTP ${r.status()} for ${r.url()}`))
    const frames = []
    const sockets = `${ui.replace(/^https:/, 'wss:')}/ws/rpc/`
    tab.on('websocket', (ws) => ws.url().startsWith(sockets) && ws.on('framereceived', (f) => frames.push(String(f.payload))))
    const response = await tab.goto(ui + '/')
    assert.equal(response?.status(), 200, `${ui} over TLS with the Root CA trusted`)
    await tab.getByRole('heading', { name: 'Log in' }).waitFor()
    await tab.getByLabel('Master password').fill(PASSWORD)
    await tab.getByRole('button', { name: 'Log in' }).click()
    await tab.getByRole('heading', { name: 'Services' }).waitFor()
    await tab.getByRole('link', { name: 'Hello World', exact: true }).waitFor() // the database has come
    const unread = tab.locator('nav a[href="/notifications"] .count')
    const before = (await unread.count()) === 0 ? 0 : Number(await unread.textContent())
    const id = await rpc(page, 'notification.create', { level: 'info', title: 'Seen over HTTPS', message: 'Live through the TLS proxy.' })
    await unread.filter({ hasText: new RegExp(`^${before + 1}$`) }).waitFor()
    assert.ok(frames.some((f) => f.includes('Seen over HTTPS')), `the notification came in a frame of a ${sockets} socket`)
    await check(tab, 'ui-over-https')
    await rpc(page, 'notification.remove', { ids: [id] })
    await (before === 0 ? unread.waitFor({ state: 'detached' }) : unread.filter({ hasText: new RegExp(`^${before}$`) }).waitFor())
    // Its session ends here, so the account page later lists only the plain-HTTP page's.
    await tab.getByRole('button', { name: 'Log out' }).click()
    await tab.getByRole('heading', { name: 'Log in' }).waitFor()
  } finally {
    await context.close()
  }
}

/** A screenshot, and axe's verdict on the page as it is now. */
async function check(page, name) {
  step++
  await page.screenshot({ path: path.join(shots, `${String(step).padStart(2, '0')}-${name}.png`), fullPage: true })
  await page.evaluate(axe.source)
  const result = await page.evaluate(() => globalThis.axe.run({ resultTypes: ['violations'] }))
  const serious = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
  assert.deepEqual(
    serious.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`),
    [],
    `axe on ${name}`,
  )
}

/** A call with the page's cookies, as the page makes it. */
function rpc(page, method, params) {
  return call(page, base, method, params)
}
