'use strict'
/** init / start / stop / execute / callbacks / contexts against a synthetic bundle (spec §2.3–2.6). */
const { test } = require('node:test')
const assert = require('node:assert/strict')
const path = require('node:path')
const { startRuntime, deferred } = require('./harness')

const BUNDLE = path.join(__dirname, 'fixtures', 'bundle.js')

function titles(host) {
  return host.calls.filter((c) => c.method === 'notification.create').map((c) => c.params.title)
}

test('execute is served while init waits on the host (re-entrancy, spec §2.6)', async (t) => {
  let rt
  const exportAnswered = deferred()
  const rentrant = { reply: null }
  rt = await startRuntime({
    bundle: BUNDLE,
    // Like upstream's host on action.export: call back into the same runtime before answering.
    answer: async (method) => {
      if (method !== 'action.export') return null
      const client = await rt.connect()
      rentrant.reply = await client.request('execute', {
        id: 'recheck-1',
        procedure: '/actions/greet/getInput',
        input: { prefill: null },
        timeout: 30000,
      })
      client.close()
      exportAnswered.resolve()
      return null
    },
  })
  t.after(() => rt.stop())

  // start is refused while init runs: only execute is re-entrant.
  const init = rt.client.request('init', { id: 'init-1', kind: 'install' })
  await rt.host.waitFor('action.export')
  const early = await rt.client.request('start', {})
  assert.equal(early.error.code, 1)
  assert.equal(early.error.data.details, 'System not initialized')

  await exportAnswered.promise
  assert.deepEqual(rentrant.reply.result, {
    eventId: 'recheck-1',
    spec: { name: {} },
    value: { name: 'World' },
  })
  assert.deepEqual((await init).result, null)

  const progress = rt.host.calls.find((c) => c.method === 'set-init-progress')
  assert.deepEqual(progress.params, { progress: { kind: 'install', isInContext: true }, eventId: 'init-1' })
  // A second init is a no-op: nothing more reaches the host.
  const before = rt.host.calls.length
  assert.equal(await rt.client.call('init', { id: 'init-2', kind: null }), null)
  assert.equal(rt.host.calls.length, before)
})

test('getInput and run share the event id; errors from procedures keep their shape', async (t) => {
  const rt = await startRuntime({
    bundle: BUNDLE,
    answer: (method) => {
      if (method === 'get-os-ip') {
        throw { code: 6, message: 'Not Found', data: { details: 'no such gateway', debug: 'at net.rs:1' } }
      }
      return null
    },
  })
  t.after(() => rt.stop())
  const before = await rt.client.request('execute', { id: 'e0', procedure: '/actions/greet/getInput', input: null, timeout: null })
  assert.equal(before.error.code, 1)
  assert.equal(before.error.data.details, 'System not initialized')

  await rt.client.call('init', { id: 'init-1', kind: null })
  const input = await rt.client.call('execute', {
    id: 'event-7',
    procedure: '/actions/greet/getInput',
    input: { prefill: { name: 'Ada' } },
    timeout: 30000,
  })
  assert.equal(input.eventId, 'event-7')
  const run = (id) =>
    rt.client.request('execute', { id, procedure: '/actions/greet/run', input: { input: { name: 'Ada' } }, timeout: 120000 })
  assert.deepEqual((await run('event-7')).result, {
    version: '1',
    title: 'Greeted',
    message: 'Hello, Ada!',
    result: null,
  })
  assert.deepEqual((await run('event-8')).error, {
    code: 0,
    message: 'Error: getActionInput has not been called for EventID event-8',
  })

  const execute = (procedure) => rt.client.request('execute', { id: 'x', procedure, input: null, timeout: null })
  assert.deepEqual((await execute('/actions/nothing/run')).result, null)
  assert.deepEqual((await execute('/actions/fail/run')).error, { code: 0, message: 'Error: boom' })
  assert.deepEqual((await execute('/actions/coded/run')).error, { code: 42, message: 'nope' })
  assert.deepEqual((await execute('/actions/ghost/run')).error, { code: 0, message: 'Error: Action ghost not found' })
  assert.deepEqual((await execute('/actions/host-error/run')).error, {
    code: 0,
    message: 'Error: Not Found: no such gateway\nat net.rs:1@get-os-ip',
  })
  const unknown = (await execute('/nonsense')).error
  assert.equal(unknown.code, 1)
  assert.equal(unknown.data.details, 'unknown procedure /nonsense')
  assert.equal((await execute('/backup/create')).result, null)
  assert.deepEqual(rt.host.calls.find((c) => c.method === 'set-backup-progress').params, {
    progress: true,
    eventId: 'x',
  })
})

test('an execute timeout fails the request without waiting for the procedure', async (t) => {
  const never = deferred()
  const rt = await startRuntime({ bundle: BUNDLE, answer: (m) => (m === 'get-os-ip' ? never.promise : null) })
  t.after(() => {
    never.resolve()
    return rt.stop()
  })
  await rt.client.call('init', { id: 'i', kind: null })
  const reply = await rt.client.request('execute', { id: 'e', procedure: '/actions/echo/run', input: null, timeout: 50 })
  assert.deepEqual(reply.error, { code: 0, message: 'Error: timed out after 50 ms' })
})

test('a failed init reports code 0, refuses execute, and is retried by the next init', async (t) => {
  const rt = await startRuntime({ bundle: BUNDLE })
  t.after(() => rt.stop())
  const failed = await rt.client.request('init', { id: 'i1', kind: 'restore' })
  assert.equal(failed.error.code, 0)
  assert.equal(failed.error.message, 'object')
  assert.equal(failed.error.data.details, 'Error: restore is not supported')
  assert.match(failed.error.data.debug, /fixtures\/bundle\.js/)
  const refused = await rt.client.request('execute', { id: 'e', procedure: '/actions/nothing/run', input: null, timeout: null })
  assert.equal(refused.error.data.details, 'System not initialized')

  const invalid = await rt.client.request('init', { id: 'i2', kind: 'sideways' })
  assert.equal(invalid.error.code, 1)
  assert.equal(await rt.client.call('init', { id: 'i3', kind: 'update' }), null)
  assert.equal(await rt.client.call('execute', { id: 'e', procedure: '/actions/nothing/run', input: null, timeout: null }), null)
})

test('start, callbacks once, constRetry restarts once, stop leaves main and clears its callbacks', async (t) => {
  const rt = await startRuntime({ bundle: BUNDLE })
  t.after(() => rt.stop())
  await rt.client.call('init', { id: 'init-1', kind: null })
  const smtp = rt.host.calls.find((c) => c.method === 'get-system-smtp').params
  assert.equal(typeof smtp.callback, 'number')
  assert.equal(smtp.eventId, 'init-1')

  assert.equal(await rt.client.call('start', {}), null)
  assert.equal(await rt.client.call('start'), null) // already running: nothing happens
  assert.equal(rt.host.methods().filter((m) => m === 'get-container-ip').length, 1)
  const ip = rt.host.calls.find((c) => c.method === 'get-container-ip').params
  const status = rt.host.calls.find((c) => c.method === 'get-status').params
  const iface = rt.host.calls.find((c) => c.method === 'get-service-interface').params
  assert.equal('eventId' in ip, false) // main has no event id
  assert.deepEqual([smtp.callback < ip.callback, ip.callback < status.callback], [true, true])

  // A callback fires once; the second notification for the same id is ignored.
  rt.client.notify('callback', { id: status.callback, args: ['new status'] })
  rt.client.notify('callback', { id: status.callback, args: ['new status'] })
  rt.client.notify('callback', { id: smtp.callback, args: [] })
  await rt.host.waitFor((c) => c.params?.title === 'smtp changed')
  await rt.host.waitFor((c) => c.params?.title === 'status changed')
  assert.equal(titles(rt.host).filter((t) => t === 'status changed').length, 1)

  // The ip callback calls constRetry twice: one restart.
  rt.client.notify('callback', { id: ip.callback, args: ['10.0.3.9'] })
  await rt.host.waitFor('restart')
  assert.deepEqual(rt.host.calls.find((c) => c.method === 'restart').params, {})

  assert.equal(await rt.client.call('stop', {}), null)
  assert.ok(titles(rt.host).includes('term'))
  const left = await rt.host.waitFor((c) => c.params?.title === 'main left')
  assert.equal(left.params.isInContext, false)
  // Only the interface callback was still registered under main.
  const cleared = await rt.host.waitFor('clear-callbacks')
  assert.deepEqual(cleared.params, { only: [iface.callback] })

  // Dropped callbacks are gone: firing one does nothing; a new start registers fresh ids.
  rt.client.notify('callback', { id: iface.callback, args: [] })
  assert.equal(await rt.client.call('stop', {}), null) // already stopped
  assert.equal(await rt.client.call('start', {}), null)
  const ips = rt.host.calls.filter((c) => c.method === 'get-container-ip')
  assert.equal(ips.length, 2)
  assert.ok(ips[1].params.callback > iface.callback)
})

test('SIGTERM stops main and exits 0', async (t) => {
  const rt = await startRuntime({ bundle: BUNDLE })
  t.after(() => rt.stop())
  await rt.client.call('init', { id: 'init-1', kind: null })
  await rt.client.call('start', {})
  rt.child.kill('SIGHUP')
  await rt.logged('received SIGHUP, ignored')
  rt.child.kill('SIGTERM')
  assert.deepEqual(await rt.exited, { code: 0, signal: null })
  assert.ok(titles(rt.host).includes('term'))
  assert.ok(titles(rt.host).includes('main left'))
})

test('eval answers only in debug mode', async (t) => {
  const plain = await startRuntime({ bundle: BUNDLE })
  t.after(() => plain.stop())
  assert.equal((await plain.client.request('eval', { script: '1 + 1' })).error.code, -32601)

  const debug = await startRuntime({ bundle: BUNDLE, env: { HEARTH_RUNTIME_DEBUG: '1' } })
  t.after(() => debug.stop())
  assert.equal(await debug.client.call('eval', { script: '[1 + 1, typeof this.runtime]' }).then(JSON.stringify), '[2,"object"]')
  await debug.logged('rpc eval #1')
})
