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

test('with source.node, the one-byte copy is a file mapping, and the bundle behaves the same', (t) => {
  if (!fs.existsSync(path.join(__dirname, '..', 'dist', 'source.node'))) {
    return t.skip('dist/source.node not built (make -C container-runtime runtime/dist/source.node)')
  }
  const file = bundle(`
    // “mapped” — a wide character in a comment
    exports.text = 'dash — arrow →'
    exports.late = function late() { return 'compiled on first call: é' }`)
  const before = fs.readdirSync(os.tmpdir()).filter((f) => f.startsWith('hearth-bundle-'))
  const loaded = loadBundle(file)
  assert.equal(loaded.text, 'dash — arrow →')
  assert.equal(loaded.late(), 'compiled on first call: é') // read again after release
  assert.match(loaded.late.toString(), /^function late\(\) \{ return 'compiled on first call: /)
  const maps = fs.readFileSync('/proc/self/maps', 'utf8')
  assert.match(maps, /hearth-bundle-\d+-\d+\.js \(deleted\)/)
  const after = fs.readdirSync(os.tmpdir()).filter((f) => f.startsWith('hearth-bundle-'))
  assert.deepEqual(after, before, 'the copy is unlinked once mapped')
})
