'use strict'
/** service.sock framing: concurrency, ids, notifications, malformed input (spec §2.2–2.3). */
const { test } = require('node:test')
const assert = require('node:assert/strict')
const fs = require('node:fs')
const path = require('node:path')
const { startRuntime, deferred } = require('./harness')

const BUNDLE = path.join(__dirname, 'fixtures', 'bundle.js')

test('many requests on one connection run concurrently; replies are matched by id', async (t) => {
  const count = 8
  const allPending = deferred()
  let pending = 0
  // The host answers get-os-ip only once every echo is waiting on it: a runtime that handled
  // requests one at a time would never get there.
  const rt = await startRuntime({
    bundle: BUNDLE,
    answer: (method) => {
      if (method !== 'get-os-ip') return null
      if (++pending === count) allPending.resolve()
      return allPending.promise.then(() => '10.0.3.1')
    },
  })
  t.after(() => rt.stop())
  await rt.client.call('init', { id: 'init-1', kind: 'install' })

  const ids = Array.from({ length: count }, (_, i) => (i % 2 ? `id-${i}` : 100 + i))
  const replies = await Promise.all(
    ids.map((id, i) =>
      rt.client.request('execute', {
        id: `event-${i}`,
        procedure: '/actions/echo/run',
        input: { input: { n: i } },
        timeout: null,
      }, id),
    ),
  )
  for (const [i, reply] of replies.entries()) {
    assert.deepEqual(reply, { jsonrpc: '2.0', id: ids[i], result: { n: i } })
  }
})

test('a notification gets no reply; malformed lines get error replies', async (t) => {
  const rt = await startRuntime({ bundle: BUNDLE, env: { STALE_SOCKET: '1' } })
  t.after(() => rt.stop())
  // The stale file was replaced by a socket that the host can connect to.
  const stat = fs.statSync(rt.sockets.serviceSock)
  assert.ok(stat.isSocket())
  assert.equal(stat.mode & 0o777, 0o666)

  rt.client.notify('callback', { id: 12345, args: [] })
  rt.client.notify('no-such-method', {})
  rt.client.send('{"id": 7, "method": "start"')
  const malformed = await rt.client.reply(null)
  assert.equal(malformed.error.code, 1)
  assert.equal(malformed.error.message, 'object')
  assert.match(malformed.error.data.details, /JSON/)

  const noMethod = await rt.client.request(undefined, {}, 'x')
  assert.deepEqual(noMethod.error.code, -32602)
  assert.equal(noMethod.error.message, 'invalid params')

  const unknown = await rt.client.request('frobnicate', {})
  assert.deepEqual(unknown.error, { code: -32601, message: 'Method not found', data: { details: 'frobnicate' } })

  // A final request on the same connection: every reply so far answers a request that had an id.
  await rt.client.request('start', {})
  assert.deepEqual(
    rt.client.replies.map((r) => r.id),
    [null, 'x', 1, 2],
  )
})

test('replies go back on the connection that asked', async (t) => {
  const rt = await startRuntime({ bundle: BUNDLE })
  t.after(() => rt.stop())
  const other = await rt.connect()
  t.after(() => other.close())
  const [a, b] = await Promise.all([rt.client.request('start', {}, 1), other.request('stop', {}, 1)])
  assert.match(a.error.data.details, /System not initialized/)
  assert.match(b.error.data.details, /System not initialized/)
  assert.equal(rt.client.replies.length, 1)
  assert.equal(other.replies.length, 1)
})
