'use strict'
/** loadBundle: a bundle loaded from its one-byte copy behaves as one loaded by require. */
const { test } = require('node:test')
const assert = require('node:assert/strict')
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')
const { loadBundle } = require('../dist/bundle.js')

function bundle(source) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bundle-test-'))
  const file = path.join(dir, 'index.js')
  fs.writeFileSync(file, source)
  return file
}

test('a bundle that requires its own file gets itself, not a second copy', () => {
  const file = bundle(`
    // a wide character — so the one-byte copy is what loads
    exports.loads = (globalThis.__bundleLoads = (globalThis.__bundleLoads ?? 0) + 1)
    exports.self = require(__filename)
    exports.dash = '—'`)
  const loaded = loadBundle(file)
  assert.equal(loaded.self, loaded)
  assert.equal(loaded.dash, '—')
  assert.equal(require(file), loaded)
  assert.equal(globalThis.__bundleLoads, 1)
})

test('the bundle sees the module, require and paths require would give it', () => {
  const file = bundle(`
    // —
    exports.filename = module.filename
    exports.id = module.id
    exports.dirname = __dirname
    exports.paths = module.paths
    exports.resolves = require.resolve('node:fs')`)
  const loaded = loadBundle(file)
  assert.equal(loaded.filename, file)
  assert.equal(loaded.id, file)
  assert.equal(loaded.dirname, path.dirname(file))
  assert.equal(loaded.paths[0], path.join(path.dirname(file), 'node_modules'))
  assert.equal(loaded.resolves, 'node:fs')
})

test('a bundle that throws while loading is not cached, and the error is its own', () => {
  const file = bundle(`
    // —
    JSON.parse('{not json')`)
  assert.throws(() => loadBundle(file), SyntaxError)
  assert.equal(require.cache[file], undefined)
})
