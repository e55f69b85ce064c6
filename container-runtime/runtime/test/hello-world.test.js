'use strict'
/**
 * The real hello-world bundle (packages/hello-world, SDK 2.0.9) driven through init, an action
 * and exit, checking the effect order of spec §5.2.
 */
const { test } = require('node:test')
const assert = require('node:assert/strict')
const { spawnSync } = require('node:child_process')
const fs = require('node:fs')
const path = require('node:path')
const { startRuntime } = require('./harness')

const PACKAGE = path.join(__dirname, '..', '..', '..', 'packages', 'hello-world')
const BUNDLE = path.join(PACKAGE, 'javascript', 'index.js')
// The SDK hard-codes volume paths; hello-world's init and action write its name file there.
const VOLUME = '/media/startos/volumes/main'

/** Builds the bundle if it is missing; returns why it cannot be had, or null. */
function ensureBundle() {
  if (fs.existsSync(BUNDLE)) return null
  for (const args of [['ci'], ['run', 'build']]) {
    const run = spawnSync('npm', args, { cwd: PACKAGE, encoding: 'utf8', timeout: 300_000 })
    if (run.status !== 0) return `npm ${args.join(' ')} in ${PACKAGE} failed: ${run.stderr || run.error}`
  }
  return null
}

/** Creates the volume directory if missing; returns a function that removes what it created. */
function ensureVolume() {
  let created = null
  for (let dir = VOLUME; !fs.existsSync(dir); dir = path.dirname(dir)) created = dir
  fs.mkdirSync(VOLUME, { recursive: true })
  return () => created && fs.rmSync(created, { recursive: true, force: true })
}

/** Plausible host answers for an install: no data version yet, no images to run. */
function answer(method) {
  switch (method) {
    case 'get-data-version':
      return null
    case 'get-os-ip':
      return '10.0.3.1'
    case 'get-container-ip':
      return '10.0.3.2'
    default:
      if (method.startsWith('subcontainer.')) throw { code: 6, message: 'Not Found', data: 'no images here' }
      return null
  }
}

test('hello-world: install init, set-name action, exit', async (t) => {
  const missing = ensureBundle()
  if (missing) return t.skip(`hello-world bundle unavailable: ${missing}`)
  let removeVolume
  try {
    removeVolume = ensureVolume()
  } catch (e) {
    return t.skip(`cannot create ${VOLUME} (the SDK writes there): ${e.message}`)
  }
  t.after(() => removeVolume())

  const rt = await startRuntime({ bundle: BUNDLE, answer })
  t.after(() => rt.stop())

  assert.equal(await rt.client.call('init', { id: 'init-1', kind: 'install' }), null)
  const methods = rt.host.methods()
  const withoutProgress = methods.filter((m) => m !== 'set-init-progress')
  assert.deepEqual(withoutProgress, [
    'get-data-version',
    'set-data-version',
    'bind',
    'export-service-interface',
    'clear-bindings',
    'clear-service-interfaces',
    'set-dependencies',
    'action.export',
    'action.clear',
    'action.create-task',
  ])
  assert.deepEqual(methods.slice(-2), ['set-init-progress', 'set-init-progress'])
  const call = (method) => rt.host.calls.find((c) => c.method === method).params
  assert.equal(call('set-data-version').version, '1.0.0:0')
  assert.equal(call('set-data-version').eventId, 'init-1')
  assert.equal(call('bind').id, 'ui-multi')
  assert.equal(typeof call('bind').stack, 'string')
  assert.deepEqual(call('action.clear').except, ['set-name'])
  assert.equal(call('action.create-task').actionId, 'set-name')
  assert.equal(fs.readFileSync(path.join(VOLUME, 'name.txt'), 'utf8'), 'World')

  const input = await rt.client.call('execute', {
    id: 'event-1',
    procedure: '/actions/set-name/getInput',
    input: { prefill: null },
    timeout: 30000,
  })
  assert.equal(input.eventId, 'event-1')
  assert.deepEqual(input.value, { name: 'World' })
  assert.equal(input.spec.name.type, 'text')
  const run = (id) =>
    rt.client.request('execute', {
      id,
      procedure: '/actions/set-name/run',
      input: { input: { name: 'Ada' } },
      timeout: 120000,
    })
  assert.deepEqual(await run('event-1'), { jsonrpc: '2.0', id: 3, result: null })
  assert.match(fs.readFileSync(path.join(VOLUME, 'www', 'index.html'), 'utf8'), /Hello, Ada!/)
  assert.match((await run('event-2')).error.message, /getActionInput has not been called for EventID event-2/)

  // Server shutdown: exit to the current version; the data version stays.
  const versions = () => rt.host.calls.filter((c) => c.method === 'set-data-version').map((c) => c.params)
  assert.deepEqual((await rt.client.request('exit', { id: 'exit-1', target: '1.0.0:0' })).result, null)
  assert.deepEqual(await rt.exited, { code: 0, signal: null })
  assert.deepEqual(versions().at(-1), { version: '1.0.0:0', eventId: 'exit-1' })
})

test('hello-world: uninstall exit clears the data version', async (t) => {
  const missing = ensureBundle()
  if (missing) return t.skip(`hello-world bundle unavailable: ${missing}`)
  const rt = await startRuntime({ bundle: BUNDLE, answer })
  t.after(() => rt.stop())
  assert.deepEqual((await rt.client.request('exit', { id: 'exit-1', target: null })).result, null)
  assert.deepEqual(await rt.exited, { code: 0, signal: null })
  assert.deepEqual(rt.host.calls.map((c) => [c.method, c.params]), [
    ['set-data-version', { version: null, eventId: 'exit-1' }],
  ])
})
