import { describe, expect, it } from 'vitest'
import type { Json } from '../src/db/json'
import { applyPatch, PatchError } from '../src/db/patch'

describe('applying the daemon\'s patches', () => {
  it('adds, replaces and removes members and elements', () => {
    const doc: Json = { a: { b: 1 }, list: [1, 2, 3] }
    const out = applyPatch(doc, [
      { op: 'add', path: '/a/c', value: 2 },
      { op: 'replace', path: '/a/b', value: 10 },
      { op: 'add', path: '/list/1', value: 9 },
      { op: 'add', path: '/list/-', value: 4 },
      { op: 'remove', path: '/list/0' },
      { op: 'remove', path: '/a/c' },
    ])
    expect(out).toEqual({ a: { b: 10 }, list: [9, 2, 3, 4] })
    expect(doc).toEqual({ a: { b: 1 }, list: [1, 2, 3] }) // untouched
  })

  it('copies only the containers on the changed path', () => {
    const doc = { changed: { x: 1 }, same: { y: [1, 2] } }
    const out = applyPatch(doc, [{ op: 'replace', path: '/changed/x', value: 2 }]) as typeof doc
    expect(out.same).toBe(doc.same)
    expect(out.changed).not.toBe(doc.changed)
  })

  it('replaces the whole document, as the daemon does when an ancestor of the subscription goes', () => {
    expect(applyPatch({ a: 1 }, [{ op: 'replace', path: '', value: null }])).toBeNull()
  })

  it('refuses what does not fit, so the copy is fetched again', () => {
    const doc: Json = { a: { b: 1 }, list: [1] }
    for (const op of [
      { op: 'replace', path: '/missing', value: 1 },
      { op: 'remove', path: '/missing' },
      { op: 'add', path: '/missing/child', value: 1 },
      { op: 'add', path: '/list/2', value: 1 },
      { op: 'replace', path: '/list/-', value: 1 },
      { op: 'remove', path: '/list/01' },
      { op: 'add', path: '/a/b/c', value: 1 },
      { op: 'remove', path: '' },
      { op: 'move', path: '/a', from: '/list' },
      { op: 'add', path: 'no-slash', value: 1 },
    ] as never[]) {
      expect(() => applyPatch(doc, [op]), JSON.stringify(op)).toThrow(PatchError)
    }
  })

  it('keeps a "__proto__" key as data, never as the prototype', () => {
    const doc = JSON.parse('{"store":{}}') as Json
    const out = applyPatch(doc, [{ op: 'add', path: '/store/__proto__', value: { polluted: true } }])
    const store = (out as { store: Record<string, unknown> }).store
    expect(Object.getPrototypeOf(store)).toBe(Object.prototype)
    expect(Object.keys(store)).toEqual(['__proto__'])
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
    const removed = applyPatch(out, [{ op: 'remove', path: '/store/__proto__' }])
    expect(removed).toEqual({ store: {} })
  })
})
