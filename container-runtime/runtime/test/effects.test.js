'use strict'
/** The effects wire format (spec §2.5, §2.7) and the exit target (§1.4 item 2). */
const { test } = require('node:test')
const assert = require('node:assert/strict')
const path = require('node:path')
const { startRuntime } = require('./harness')

const BUNDLE = path.join(__dirname, 'fixtures', 'bundle.js')

/** Spec §2.7, copied by hand: all 44 wire methods. */
const WIRE_METHODS = [
  'action.export', 'action.clear', 'action.get-input', 'action.run', 'action.create-task', 'action.clear-tasks',
  'restart', 'shutdown', 'get-status', 'set-main-status', 'clear-callbacks',
  'set-dependencies', 'get-dependencies', 'check-dependencies', 'mount', 'get-installed-packages', 'get-service-manifest',
  'set-init-progress', 'set-backup-progress', 'set-health', 'notification.create', 'set-data-version', 'get-data-version',
  'subcontainer.create-fs', 'subcontainer.destroy-fs',
  'bind', 'bind-range', 'clear-bindings', 'get-service-port-forward', 'get-host-info', 'get-container-ip', 'get-os-ip',
  'get-outbound-gateway', 'export-service-interface', 'export-range-service-interface', 'get-service-interface',
  'list-service-interfaces', 'clear-service-interfaces', 'get-ssl-certificate', 'get-ssl-key',
  'plugin.url.register', 'plugin.url.export-url', 'plugin.url.clear-urls', 'get-system-smtp',
]
const CALLBACK_METHODS = [
  'get-status', 'get-host-info', 'get-service-interface', 'list-service-interfaces', 'get-service-manifest',
  'get-system-smtp', 'get-outbound-gateway', 'get-ssl-certificate', 'get-container-ip',
]

test('every effect reaches the host under its wire name, with eventId and callback ids', async (t) => {
  const rt = await startRuntime({ bundle: BUNDLE })
  t.after(() => rt.stop())
  await rt.client.call('init', { id: 'init-1', kind: null })
  const from = rt.host.calls.length
  const called = await rt.client.call('execute', {
    id: 'event-all',
    procedure: '/actions/all-effects/run',
    input: null,
    timeout: null,
  })
  assert.equal(WIRE_METHODS.length, 44)
  assert.equal(called.length, 44)
  assert.ok(called.includes('plugin.url.exportUrl') && called.includes('action.createTask'))

  const probes = rt.host.calls.slice(from, from + 44)
  assert.deepEqual(probes.map((c) => c.method).sort(), [...WIRE_METHODS].sort())
  for (const { method, params } of probes) {
    assert.equal(params.eventId, 'event-all', method)
    assert.equal(typeof params.probe, 'string', method)
    assert.equal('callback' in params, CALLBACK_METHODS.includes(method), method)
    if (CALLBACK_METHODS.includes(method)) assert.equal(params.callback, null, method)
    assert.equal(typeof params.stack === 'string', method === 'bind' || method === 'bind-range', method)
  }
  const [hostInfo, dependencies] = rt.host.calls.slice(from + 44)
  assert.equal(hostInfo.method, 'get-host-info')
  assert.equal(typeof hostInfo.params.callback, 'number')
  assert.deepEqual(dependencies, { method: 'get-dependencies', params: { eventId: 'event-all' }, id: dependencies.id })

  // Leaving the procedure's context drops the callback it registered.
  const cleared = await rt.host.waitFor((c) => c.method === 'clear-callbacks' && c.params.only)
  assert.deepEqual(cleared.params, { only: [hostInfo.params.callback] })
  // Effect-call ids come from one counter starting at 0.
  assert.deepEqual(rt.host.calls.slice(0, 3).map((c) => c.id), [0, 1, 2])
})

async function exitWith(target, { start = false, init = true } = {}) {
  const rt = await startRuntime({ bundle: BUNDLE })
  try {
    if (init) await rt.client.call('init', { id: 'init-1', kind: null })
    if (start) await rt.client.call('start', {})
    const reply = await rt.client.request('exit', { id: 'exit-1', target })
    const exited = await rt.exited
    const version = rt.host.calls.find((c) => c.method === 'set-data-version')
    return { reply, exited, version, methods: rt.host.methods(), titles: rt.host.calls.map((c) => c.params?.title) }
  } finally {
    await rt.stop()
  }
}

test('exit stops main, gives uninit a parsed version, replies, then exits 0', async () => {
  const { reply, exited, version, methods, titles } = await exitWith('1.0.0:0', { start: true })
  assert.deepEqual(reply, { jsonrpc: '2.0', id: 3, result: null })
  assert.deepEqual(exited, { code: 0, signal: null })
  assert.deepEqual(JSON.parse(version.params.version), { text: '1.0.0:0', kind: 'ExtendedVersion' })
  assert.equal(version.params.eventId, 'exit-1')
  const termAt = titles.indexOf('term')
  assert.ok(termAt >= 0 && termAt < methods.indexOf('set-data-version'), 'main stops before uninit')
})

test('exit with a range gives uninit a normalised VersionRange; null stays null', async () => {
  const range = await exitWith('>=1.0.0:0 && >=0.5.0:0')
  assert.equal(range.exited.code, 0)
  const seen = JSON.parse(range.version.params.version)
  assert.equal(seen.kind, 'VersionRange')
  assert.equal(seen.text, '>=1.0.0:0')

  const uninstall = await exitWith(null, { init: false })
  assert.deepEqual(uninstall.reply.result, null)
  assert.equal(uninstall.version.params.version, 'null')
  assert.equal(uninstall.exited.code, 0)
})

test('an exit target that is no version is refused and the runtime keeps running', async (t) => {
  const rt = await startRuntime({ bundle: BUNDLE })
  t.after(() => rt.stop())
  const reply = await rt.client.request('exit', { id: 'exit-1', target: 'not a version!' })
  assert.equal(reply.error.code, 1)
  assert.match(reply.error.data.details, /neither an exver version nor a range/)
  const missing = await rt.client.request('exit', { id: 'exit-2' })
  assert.equal(missing.error.code, 1)
  assert.equal(await rt.client.call('init', { id: 'init-1', kind: null }), null)
  assert.equal(rt.host.methods().includes('set-data-version'), false)
})
