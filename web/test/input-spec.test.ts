import { describe, expect, it } from 'vitest'
import kitchen from './fixtures/hello-kitchen-order.spec.json'
import { charsetChars, defaults, getAt, initialValue, randomString, sameBy, setAt, validate, type InputSpec } from '../src/actions/input-spec'

// The Place Order form of packages/hello-kitchen as SDK 2.0.9 builds it (`orderSpec.build()`), one
// field of every type: what `package.action.get-input` hands the UI.
const spec = kitchen as unknown as InputSpec

const problems = (value: unknown) => validate(spec, value as never).map((p) => `${p.path.join('.')}: ${p.message.kind}`)

describe('an action form from its InputSpec', () => {
  it('starts from the spec’s defaults, every type with the value the service expects', () => {
    expect(defaults(spec)).toEqual({
      dish: 'Soup',
      notes: null,
      servings: 2,
      plateColor: null,
      serveAt: null,
      spicy: false,
      salted: null,
      course: 'main',
      sides: [],
      guests: [],
      extras: [],
      table: { number: 1, byTheWindow: false },
      payment: { selection: 'cash', value: {} },
      photo: null,
      ticket: null,
    })
    expect(problems(defaults(spec))).toEqual([])
  })

  it('lays the current settings, then a task’s prefill, over the defaults', () => {
    const v = initialValue(spec, { dish: 'Stew', table: { number: 4 }, sides: ['rice'], ticket: { id: 7 } }, { table: { byTheWindow: true }, sides: ['bread'] })
    expect(v.dish).toBe('Stew')
    expect(v.table).toEqual({ number: 4, byTheWindow: true })
    expect(v.sides).toEqual(['bread']) // a list is replaced, not appended to
    expect(v.ticket).toEqual({ id: 7 }) // hidden: carried through unchanged
    expect(v.servings).toBe(2)
  })

  it('finds every kind of problem at the field it belongs to', () => {
    const bad = {
      ...defaults(spec),
      dish: '<b>',
      servings: 2.5,
      plateColor: 'red',
      serveAt: 'tomorrow',
      course: 'brunch',
      sides: ['bread', 'salad', 'rice'],
      guests: ['Ann', '', 'x'.repeat(31), 'Ann'],
      extras: [{ item: 'Tea', quantity: 0 }, { item: 'Tea', quantity: 1 }],
      table: { number: null, byTheWindow: false },
      payment: { selection: 'card', value: { last4: '12a4' } },
    }
    expect(problems(bad)).toEqual([
      'dish: pattern',
      'servings: not-integer',
      'plateColor: not-a-color',
      'serveAt: not-a-date',
      'course: not-a-choice',
      'sides: too-many',
      'guests.1: required',
      'guests.2: too-long',
      'guests.3: not-unique',
      'extras.0.quantity: too-small',
      'extras.1: not-unique',
      'table.number: required',
      'payment.value.last4: pattern',
    ])
    expect(problems({ ...defaults(spec), dish: null, servings: 13, payment: { selection: 'cheque', value: {} } })).toEqual([
      'dish: required',
      'servings: too-large',
      'payment: required',
    ])
  })

  it('draws generated strings from the charset, as the SDK describes it', () => {
    expect(charsetChars('a-c,X,0-2')).toEqual(['a', 'b', 'c', 'X', '0', '1', '2'])
    expect(charsetChars('a,,b')).toEqual(['a', ',', 'b'])
    const s = randomString({ charset: 'a-f', len: 64 })
    expect(s).toMatch(/^[a-f]{64}$/)
    let n = 0
    expect(randomString({ charset: 'x-z', len: 3 }, () => n++)).toBe('xyz')
  })

  it('keeps a field named __proto__ as data', () => {
    const v = setAt({}, ['__proto__', 'polluted'], true) as Record<string, unknown>
    expect(Object.getPrototypeOf(v)).toBe(Object.prototype)
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
    expect(JSON.parse(JSON.stringify(v))).toEqual(JSON.parse('{"__proto__":{"polluted":true}}'))
    expect(getAt(v as never, ['__proto__', 'polluted'])).toBe(true)
    const hostile: InputSpec = JSON.parse('{"__proto__":{"type":"toggle","name":"x","description":null,"warning":null,"default":true}}')
    const d = defaults(hostile)
    expect(Object.getPrototypeOf(d)).toBe(Object.prototype)
    expect(Object.keys(d)).toEqual(['__proto__'])
  })

  it('compares list items by uniqueBy', () => {
    expect(sameBy('item', { item: 'a', n: 1 }, { item: 'a', n: 2 })).toBe(true)
    expect(sameBy(null, { item: 'a' }, { item: 'a' })).toBe(false)
    expect(sameBy({ all: ['a', 'b'] }, { a: 1, b: 2 }, { a: 1, b: 3 })).toBe(false)
    expect(sameBy({ any: ['a', 'b'] }, { a: 1, b: 2 }, { a: 9, b: 2 })).toBe(true)
  })
})
