// @vitest-environment happy-dom
import { render } from 'preact'
import { afterEach, describe, expect, it } from 'vitest'
import type { Json } from '../src/db/json'
import { PatchDb } from '../src/db/patch-db'
import { Notifications } from '../src/pages/Notifications'
import { Services } from '../src/pages/Services'

/**
 * A hostile package writes what it likes into the database the pages show: its title, its error,
 * its icon, the notifications it posts. The pages must show it as text; no element, attribute or
 * URL of the package's choosing reaches the DOM (the CSP would stop a script, but nothing should
 * get that far).
 */
const settle = () => new Promise<void>((r) => setTimeout(r, 0))
const MARKUP = '<img src=x onerror="globalThis.pwned=1"><script>globalThis.pwned=2</script>'

function dbOf(value: Json): PatchDb {
  const db = new PatchDb({ subscribe: async () => ({ dump: { id: 1, value }, guid: 'G' }), open: () => ({ close: () => {} }) })
  db.start()
  return db
}

afterEach(() => render(null, document.body))

describe("a hostile package's text in the pages", () => {
  it('is text in the services list, and an icon that is not an image URL is not used', async () => {
    const db = dbOf({
      packageData: {
        evil: {
          stateInfo: { state: 'installed', manifest: { title: MARKUP, version: MARKUP } },
          statusInfo: { desired: { main: 'running' }, started: null, error: { details: MARKUP }, health: {} },
          icon: 'javascript:globalThis.pwned=3',
          tasks: {},
        },
        sneaky: {
          stateInfo: { state: 'installed', manifest: { title: 'Sneaky', version: '1.0.0:0' } },
          statusInfo: { desired: { main: 'stopped' }, started: null, error: null, health: {} },
          icon: 'data:text/html,<script>globalThis.pwned=4</script>',
          tasks: {},
        },
      },
    })
    await settle()
    render(<Services db={db} />, document.body)
    await settle()
    expect(document.body.textContent).toContain(MARKUP) // shown, as the characters it is
    expect(document.querySelectorAll('script')).toHaveLength(0)
    expect([...document.querySelectorAll('img')].map((i) => i.getAttribute('src'))).toEqual([])
    expect((globalThis as { pwned?: number }).pwned).toBeUndefined()
    db.stop()
  })

  it('is text in the notifications', async () => {
    const db = dbOf({ notifications: { '1': { id: 1, title: MARKUP, message: MARKUP, level: MARKUP, createdAt: MARKUP, seen: false } } })
    await settle()
    render(<Notifications db={db} />, document.body)
    await settle()
    expect(document.body.textContent).toContain(MARKUP)
    expect(document.querySelectorAll('script, img')).toHaveLength(0)
    // The level picks a style from the four known ones; anything else is shown as info.
    expect(document.querySelector('li.notification')?.getAttribute('class')).toBe('notification level-info unseen')
    expect((globalThis as { pwned?: number }).pwned).toBeUndefined()
    db.stop()
  })
})
