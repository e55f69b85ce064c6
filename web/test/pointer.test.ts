import { describe, expect, it } from 'vitest'
import { formatPointer, parsePointer, PointerError, valueAt } from '../src/db/pointer'

describe('JSON pointers (RFC 6901)', () => {
  it('reads the RFC examples', () => {
    const doc = { foo: ['bar', 'baz'], '': 0, 'a/b': 1, 'm~n': 8, ' ': 7 }
    expect(valueAt(doc, parsePointer(''))).toEqual(doc)
    expect(valueAt(doc, parsePointer('/foo'))).toEqual(['bar', 'baz'])
    expect(valueAt(doc, parsePointer('/foo/0'))).toBe('bar')
    expect(valueAt(doc, parsePointer('/'))).toBe(0)
    expect(valueAt(doc, parsePointer('/a~1b'))).toBe(1)
    expect(valueAt(doc, parsePointer('/m~0n'))).toBe(8)
    expect(valueAt(doc, parsePointer('/ '))).toBe(7)
  })

  it('unescapes ~1 before ~0', () => {
    expect(parsePointer('/~01')).toEqual(['~1'])
    expect(formatPointer(['~1', 'a/b'])).toBe('/~01/a~1b')
  })

  it('refuses what is not a pointer', () => {
    expect(() => parsePointer('foo')).toThrow(PointerError)
    expect(() => parsePointer('/a~2')).toThrow(PointerError)
    expect(() => parsePointer('/a~')).toThrow(PointerError)
  })

  it('finds nothing where there is nothing, and never the prototype', () => {
    const doc = { a: [1], b: null }
    expect(valueAt(doc, parsePointer('/a/1'))).toBeUndefined()
    expect(valueAt(doc, parsePointer('/a/01'))).toBeUndefined()
    expect(valueAt(doc, parsePointer('/b/c'))).toBeUndefined()
    expect(valueAt(doc, parsePointer('/toString'))).toBeUndefined()
    expect(valueAt(doc, parsePointer('/__proto__'))).toBeUndefined()
  })
})
