// @vitest-environment happy-dom
import { render } from 'preact'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { Json } from '../src/db/json'
import { cards, filterCards, localized, proxyPath, safeIcon, safeLink, sortVersions, versionsOf } from '../src/marketplace/model'
import { Marketplace } from '../src/pages/Marketplace'
import { Updates } from '../src/pages/Updates'
import { refreshUpdates } from '../src/marketplace/updates'
import { liveDb, settle } from './live-db'

async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (check()) return
    await new Promise((r) => setTimeout(r, 10))
  }
  throw new Error(`never: ${what}`)
}

type Call = { method: string; params: Record<string, unknown> }

function daemon(answer: (c: Call) => unknown) {
  const calls: Call[] = []
  vi.stubGlobal('fetch', async (_url: string, init?: RequestInit) => {
    const body = JSON.parse(init!.body as string)
    const call = { method: body.method, params: body.params }
    calls.push(call)
    return new Response(JSON.stringify({ jsonrpc: '2.0', id: body.id, result: answer(call) ?? null }), { status: 200 })
  })
  return calls
}

const REG = 'http://127.0.0.1:5959/'
const MARKUP = '<img src=x onerror="globalThis.pwned=1"><script>globalThis.pwned=2</script>'
const ICON = 'data:image/svg+xml;base64,PHN2Zy8+'

function info(title: string, extra: Record<string, Json> = {}): Json {
  return {
    title,
    icon: ICON,
    description: { short: `${title} in short`, long: `${title} at length` },
    releaseNotes: `notes of ${title}`,
    license: 'MIT',
    packageRepo: 'https://example.com/pkg',
    upstreamRepo: 'https://example.com/up',
    osVersion: '0.4.0',
    dependencyMetadata: {},
    ...extra,
  }
}

const model = (extra: Json = {}): Json => ({
  marketplace: { registries: { [REG]: { name: 'Demo', icon: null, isDefault: true } }, installs: {} },
  packageData: extra,
})

afterEach(() => {
  render(null, document.body)
  vi.unstubAllGlobals()
  localStorage.clear()
})

describe('the marketplace model', () => {
  it('orders versions newest first, the unflavored line before flavors', () => {
    expect(sortVersions(['1.0.0:0', '#spicy:1.1.0:0', '1.1.0:0', '1.0.0:1'])).toEqual(['1.1.0:0', '1.0.0:1', '1.0.0:0', '#spicy:1.1.0:0'])
  })

  it('reads locale text, and refuses icons and links a page would fetch or run', () => {
    expect(localized({ en_US: 'Hi', de_DE: 'Hallo' }, 'de')).toBe('Hallo')
    expect(localized({ en_US: 'Hi', de_DE: 'Hallo' }, 'pl')).toBe('Hi')
    expect(localized(7, 'en')).toBe('')
    expect(safeIcon('https://tracker.example/pixel.png')).toBeNull()
    expect(safeIcon('javascript:alert(1)')).toBeNull()
    expect(safeIcon(ICON)).toBe(ICON)
    expect(safeLink('javascript:alert(1)')).toBeNull()
    expect(safeLink('data:text/html,x')).toBeNull()
    expect(safeLink('https://example.com/a')).toBe('https://example.com/a')
  })

  it("reads a listed package's file through the server, only from an http(s) URL, with its commitment", () => {
    const asset = (url: string) => ({ s9pks: [[{}, { urls: [url], commitment: { rootSighash: 'a+b/c=', rootMaxsize: 42 }, signatures: {} }]] })
    expect(proxyPath(asset('http://r.example/blob/ab.s9pk'), 'LICENSE.md')).toBe(
      '/s9pk/proxy/http%3A%2F%2Fr.example%2Fblob%2Fab.s9pk/LICENSE.md?rootSighash=a%2Bb%2Fc%3D&rootMaxsize=42',
    )
    expect(proxyPath(asset('file:///etc/passwd'), 'LICENSE.md')).toBeNull()
    expect(proxyPath({ s9pks: [] }, 'LICENSE.md')).toBeNull()
  })

  it('filters cards by category and by every word of a search', () => {
    const all = cards(
      {
        b: { categories: ['tools'], best: { '1.0.0:0': info('Bravo') } },
        a: { categories: ['fun'], best: { '#spicy:1.0.0:0': info('Alpha hot'), '1.0.0:0': info('Alpha') } },
      },
      'en',
    )
    expect(all.map((c) => [c.id, c.best.version])).toEqual([
      ['a', '1.0.0:0'],
      ['b', '1.0.0:0'],
    ])
    expect(filterCards(all, 'tools', '', 'en').map((c) => c.id)).toEqual(['b'])
    expect(filterCards(all, null, 'alpha short', 'en').map((c) => c.id)).toEqual(['a'])
    expect(filterCards(all, null, 'alpha zulu', 'en')).toEqual([])
    expect(versionsOf({ best: { '1.1.0:0': {} }, otherVersions: { '1.0.0:0': {}, '1.1.0:0': {} } }).map((v) => v.version)).toEqual(['1.1.0:0', '1.0.0:0'])
  })
})

describe('the Marketplace page', () => {
  it("shows a hostile registry's words as text and loads nothing it names", async () => {
    daemon((c) =>
      c.method === 'registry.info'
        ? { name: MARKUP, icon: null, categories: { evil: { name: MARKUP } } }
        : c.method === 'registry.package.get'
          ? { evil: { categories: ['evil'], best: { '1.0.0:0': info(MARKUP, { icon: 'https://tracker.example/p.png' }) } } }
          : null,
    )
    const { db } = liveDb(model())
    await settle()
    render(<Marketplace db={db} id={null} />, document.body)
    await until(() => document.querySelector('.market-card') !== null, 'the card')
    expect(document.body.textContent).toContain(MARKUP)
    expect(document.querySelectorAll('script, img')).toHaveLength(0)
    expect((globalThis as { pwned?: number }).pwned).toBeUndefined()
    db.stop()
  })

  it('says what installing each version does, and asks before a flavor switch, then sends it', async () => {
    const calls = daemon((c) =>
      c.method === 'marketplace.package'
        ? {
            listing: { categories: [], best: { '1.1.0:0': info('Kitchen'), '#spicy:1.1.0:0': info('Kitchen') }, otherVersions: { '1.0.0:0': info('Kitchen') } },
            installed: '1.1.0:0',
            installedFrom: REG,
            actions: { '1.1.0:0': 'reinstall', '#spicy:1.1.0:0': 'switchFlavor', '1.0.0:0': 'downgrade' },
          }
        : null,
    )
    const { db } = liveDb(model({ 'hello-kitchen': { stateInfo: { state: 'installed', manifest: { version: '1.1.0:0' } } } }))
    await settle()
    render(<Marketplace db={db} id="hello-kitchen" />, document.body)
    await until(() => document.querySelector('#package-version') !== null, 'the versions')
    const select = document.querySelector<HTMLSelectElement>('#package-version')!
    expect([...select.options].map((o) => o.textContent)).toEqual(['1.1.0:0 — installed', '1.0.0:0 — downgrade', '#spicy:1.1.0:0 — another flavor'])
    expect(document.querySelector('.install-row button')!.textContent).toBe('Install again')
    select.value = '#spicy:1.1.0:0'
    select.dispatchEvent(new Event('change'))
    await until(() => document.querySelector('.install-row button')!.textContent === 'Switch', 'the switch button')
    ;(document.querySelector('.install-row button') as HTMLButtonElement).click()
    await until(() => document.body.textContent!.includes('Only one flavor is installed at a time'), 'the switch warning')
    expect(calls.some((c) => c.method === 'package.install')).toBe(false) // nothing before the answer
    const confirm = [...document.querySelectorAll('dialog button')].find((b) => b.textContent === 'Switch') as HTMLButtonElement
    confirm.click()
    await until(() => calls.some((c) => c.method === 'package.install'), 'the install call')
    expect(calls.find((c) => c.method === 'package.install')!.params).toEqual({ registry: REG, id: 'hello-kitchen', version: '#spicy:1.1.0:0', switchFlavor: true })
    db.stop()
  })

  it('offers to install a missing required dependency from the same registry first', async () => {
    const calls = daemon((c) =>
      c.method === 'marketplace.package'
        ? {
            listing: { categories: [], best: { '1.0.0:0': info('Friend', { dependencyMetadata: { 'hello-world': { title: 'Hello World', optional: false } } }) } },
            installed: null,
            installedFrom: null,
            actions: { '1.0.0:0': 'install' },
          }
        : c.method === 'registry.package.get'
          ? { categories: [], best: { '1.0.0:0': info('Hello World'), '1.1.0:0': info('Hello World') } }
          : null,
    )
    const { db } = liveDb(model())
    await settle()
    render(<Marketplace db={db} id="hello-friend" />, document.body)
    await until(() => document.querySelector('.install-row button') !== null, 'the install button')
    ;(document.querySelector('.install-row button') as HTMLButtonElement).click()
    await until(() => document.body.textContent!.includes('It needs services that are not installed: Hello World.'), 'the dependency prompt')
    ;([...document.querySelectorAll('dialog button')].find((b) => b.textContent === 'Install') as HTMLButtonElement).click()
    await until(() => calls.filter((c) => c.method === 'package.install').length === 2, 'both installs')
    expect(calls.filter((c) => c.method === 'package.install').map((c) => [c.params['id'], c.params['version']])).toEqual([
      ['hello-world', '1.1.0:0'],
      ['hello-friend', '1.0.0:0'],
    ])
    db.stop()
  })
})

describe('the Updates page', () => {
  it('groups updates by registry, says a dead registry failed, and asks before updating from another registry', async () => {
    const calls = daemon((c) =>
      c.method === 'marketplace.updates'
        ? {
            [REG]: { name: 'Demo', packages: { 'hello-world': { installed: '1.0.0:0', version: '1.1.0:0', title: 'Hello World', icon: ICON, releaseNotes: 'Polish.', installedFrom: 'http://elsewhere/' } }, error: null },
            'http://dead/': { name: 'Dead', packages: {}, error: 'the registry http://dead/ did not answer' },
          }
        : null,
    )
    const { db } = liveDb(model({ 'hello-world': { stateInfo: { state: 'installed', manifest: { version: '1.0.0:0' } } } }))
    await settle()
    refreshUpdates('x', true)
    render(<Updates db={db} />, document.body)
    await until(() => document.querySelector('.update') !== null, 'the update')
    expect(document.body.textContent).toContain('1.0.0:0 → 1.1.0:0')
    expect(document.body.textContent).toContain('Polish.')
    expect(document.body.textContent).toContain('This registry did not answer: the registry http://dead/ did not answer')
    ;(document.querySelector('.update > button') as HTMLButtonElement).click()
    await until(() => document.querySelector('dialog[open]') !== null, 'the question')
    expect(calls.some((c) => c.method === 'package.install')).toBe(false)
    ;([...document.querySelectorAll('dialog[open] button')].find((b) => b.textContent === 'Update') as HTMLButtonElement).click()
    await until(() => calls.some((c) => c.method === 'package.install'), 'the update call')
    expect(calls.find((c) => c.method === 'package.install')!.params).toEqual({ registry: REG, id: 'hello-world', version: '1.1.0:0' })
    db.stop()
  })
})
