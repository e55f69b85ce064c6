'use strict'
/** The bundle's source in one byte per character, with the values its code computes unchanged. */
const { test } = require('node:test')
const assert = require('node:assert/strict')
const fs = require('node:fs')
const vm = require('node:vm')
const { oneByteSource } = require('../dist/onebyte.js')

const isOneByte = (s) => !/[^\x00-\xff]/.test(s)
// As JSON: values from another context have other prototypes.
const run = (source) => JSON.stringify(vm.runInNewContext(source))

/** Sources whose wide characters can all be escaped, and what each computes. */
const ESCAPABLE = {
  'line and block comments': "// a note — with a dash\n/* ← and an arrow */ 1 + 1",
  'string literals': `'a—b' + "c→d" + '\\u2014'`,
  'an escaped wide character in a string means itself': `'\\—' === '—'`,
  'an astral character in a string': `['😀'.length, '😀'.codePointAt(0)]`,
  'untagged template literals, nested': '`x — ${1 + 1} → ${`in → ${"y"}`} ←`',
  'an object literal inside a substitution': "`${ { a: '—' }.a }${ { b: 1 }.b }`",
  'regular expressions': "[/[—–]+/.exec('a——b')[0], /\\—/.test('—'), /é—/i.test('É—')]",
  'a unicode regular expression with an astral character': "/😀+/u.exec('😀😀')[0]",
  'a regex after a keyword, divisions after operands': `
    function f(s) { return /—/.test(s) }
    const a = 8, g = 2
    ;[f('—'), a / g / 2, (a) / 2, [a][0] / 4 + '→']`,
  'a regex holding quotes and slashes in a class': `/['"\\/—]/.test('—')`,
  'Latin-1 letters in identifiers stay': "const café = 'é—'; café",
}

for (const [name, source] of Object.entries(ESCAPABLE)) {
  test(`escapes: ${name}`, () => {
    assert.ok(!isOneByte(source), 'the case must hold a wide character')
    const compact = oneByteSource(source)
    assert.ok(isOneByte(compact), compact)
    assert.equal(run(compact), run(source))
  })
}

/** Sources where an escape could change what the code sees: they are kept as written. */
const KEPT = {
  'a tagged template sees its raw text': 'String.raw`a—b`',
  'a tag after a member access': 'const o = { t: (s) => s.raw[0] }; o.t`—`',
  'a wide identifier': 'const π = 3; π',
  'U+2028 is a line terminator': "'\u2028' + '—'",
  'an unterminated string': "'—",
  'an unterminated template': '`—${1',
}

for (const [name, source] of Object.entries(KEPT)) {
  test(`keeps: ${name}`, () => {
    assert.equal(oneByteSource(source), source)
  })
}

test('a source already in one byte is returned as it is', () => {
  const source = "const s = 'café'; /* plain */ `t${s}`"
  assert.equal(oneByteSource(source), source)
})

test('the SDK-built hello-world bundle becomes one byte per character', () => {
  const bundle = require.resolve('../../../packages/hello-world/javascript/index.js')
  const source = fs.readFileSync(bundle, 'utf8')
  assert.ok(!isOneByte(source))
  const compact = oneByteSource(source)
  assert.ok(isOneByte(compact))
  // It still compiles; running it is hello-world.test.js's job (the runtime loads it this way).
  new vm.Script(compact, { filename: bundle })
})
