// @vitest-environment happy-dom
import { render } from 'preact'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { Json } from '../src/db/json'
import { addressUrl, bindingAddresses, byGateway, enabledKey, isLoopback, isOn } from '../src/net/addresses'
import { InterfaceAddresses, ServerAddresses } from '../src/pages/Addresses'
import { liveDb, settle } from './live-db'

async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (check()) return
    await new Promise((r) => setTimeout(r, 10))
  }
  throw new Error(`never: ${what}`)
}

type Call = { method: string; params: Record<string, unknown> }
type Answer = { result?: Json; error?: { code: number; message: string } }

/** The daemon's RPC: each call waits for `answer` (which may hold it), and is kept. */
function daemon(answer: (c: Call) => Answer | Promise<Answer> = () => ({ result: null })) {
  const calls: Call[] = []
  vi.stubGlobal('fetch', async (_url: string, init?: RequestInit) => {
    const body = JSON.parse(init!.body as string)
    const call = { method: body.method, params: body.params }
    calls.push(call)
    return new Response(JSON.stringify({ jsonrpc: '2.0', id: body.id, ...(await answer(call)) }), { status: 200 })
  })
  return calls
}

const MARKUP = '<img src=x onerror="globalThis.pwned=1">'
const WEB = { username: null, hostId: 'main', internalPort: 80, scheme: 'http', sslScheme: 'https', suffix: '/app' }

const gateway = (name: string | null): Json => ({
  name,
  secure: null,
  type: 'inbound-outbound',
  ipInfo: { name: 'x', scopeId: 2, deviceType: 'ethernet', subnets: ['192.168.1.0/24'], lanIp: ['192.168.1.20'], wanIp: null, ntpServers: [], dnsServers: [] },
})

const MDNS: Json = { ssl: true, public: false, hostname: 'hello.local', port: 443, metadata: { kind: 'mdns', gateways: ['eth0', 'wlan0'] } }
const LAN: Json = { ssl: false, public: false, hostname: '192.168.1.20', port: 80, metadata: { kind: 'ipv4', gateway: 'eth0' } }
const WAN: Json = { ssl: false, public: true, hostname: '203.0.113.7', port: 32001, metadata: { kind: 'ipv4', gateway: 'eth0' } }
const WIFI_WAN: Json = { ssl: false, public: true, hostname: '198.51.100.2', port: 32001, metadata: { kind: 'ipv4', gateway: 'wlan0' } }
const WIFI_LAN: Json = { ssl: false, public: false, hostname: '10.0.0.5', port: 32001, metadata: { kind: 'ipv4', gateway: 'wlan0' } }
const V6: Json = { ssl: false, public: false, hostname: '2001:db8::5', port: 32001, metadata: { kind: 'ipv6', gateway: 'eth0', scopeId: 2 } }
const V6_PUBLIC: Json = { ssl: true, public: true, hostname: '2001:db8::9', port: 443, metadata: { kind: 'ipv6', gateway: 'eth0', scopeId: 2 } }
const LINK_LOCAL: Json = { ssl: false, public: false, hostname: 'fe80::1', port: 32001, metadata: { kind: 'ipv6', gateway: 'eth0', scopeId: 2 } }
const SHOP: Json = { ssl: true, public: true, hostname: 'shop.example.com', port: 443, metadata: { kind: 'public-domain', gateway: 'eth0' } }
const HOSTILE: Json = { ssl: false, public: false, hostname: MARKUP, port: 32001, metadata: { kind: 'ipv4', gateway: 'eth0' } }

const BINDING: Json = {
  enabled: true,
  options: { preferredExternalPort: 80, addSsl: null, secure: null },
  net: { assignedPort: 32001, assignedSslPort: 443 },
  addresses: {
    enabled: ['198.51.100.2:32001', 'shop.example.com:443', '[2001:db8::9]:443'],
    disabled: [['10.0.0.5', 32001]],
    guaAccess: {},
    available: [LAN, WAN, WIFI_WAN, WIFI_LAN, V6, V6_PUBLIC, LINK_LOCAL, MDNS, SHOP, HOSTILE],
  },
  interfaces: {
    ui: { id: 'ui', name: 'Web UI', description: 'The shop window', masked: false, type: 'ui', addressInfo: WEB },
  },
}

const HOST: Json = { bindings: { '80': BINDING }, publicDomains: { 'shop.example.com': { gateway: 'eth0', acme: 'https://acme-v02.api.letsencrypt.org/directory' } } }

const SERVER_HOST: Json = {
  bindings: {
    '80': {
      enabled: true,
      options: { preferredExternalPort: 80, addSsl: null, secure: null },
      net: { assignedPort: 80, assignedSslPort: 443 },
      addresses: { enabled: [], disabled: [], guaAccess: {}, available: [{ ssl: false, public: false, hostname: '192.168.1.20', port: 80, metadata: { kind: 'ipv4', gateway: 'eth0' } }, { ...(MDNS as object), hostname: 'box.local' }] },
      interfaces: { main: { id: 'main', name: 'Server UI', description: 'This server’s own pages', masked: false, type: 'ui', addressInfo: { ...WEB, hostId: 'startos-ui', suffix: '' } } },
    },
  },
  publicDomains: {},
}

const model = (gateways: Json = { eth0: gateway(null), wlan0: gateway('Home Wi-Fi'), wg0: gateway('VPN') }): Json => ({
  serverInfo: { name: 'Box', hostname: 'box', network: { gateways, host: SERVER_HOST } },
  packageData: {
    hello: { stateInfo: { state: 'installed', manifest: { id: 'hello', title: 'Hello', version: '1.0.0:0' } }, hosts: { main: HOST } },
  },
})

async function open(page: 'service' | 'server', answer?: (c: Call) => Answer | Promise<Answer>, dump: Json = model()) {
  const calls = daemon(answer)
  const live = liveDb(dump)
  await settle()
  render(page === 'service' ? <InterfaceAddresses db={live.db} id="hello" interfaceId="ui" /> : <ServerAddresses db={live.db} />, document.body)
  await settle()
  return { calls, ...live }
}

afterEach(() => {
  render(null, document.body)
  vi.unstubAllGlobals()
})

/** Each gateway table: its heading, and per row the cells' text and the row's switch. */
function tables() {
  return [...document.querySelectorAll('.gateway')].map((g) => ({
    heading: g.querySelector('h2')!.firstChild!.textContent,
    empty: g.querySelector('.empty')?.textContent ?? null,
    rows: [...g.querySelectorAll('tbody.address')].map((body) => {
      const cells = [...body.querySelector('tr')!.querySelectorAll('td')]
      return {
        on: body.querySelector<HTMLInputElement>('input[role=switch]')!.checked,
        dimmed: body.classList.contains('off'),
        access: cells[1]!.textContent,
        type: cells[2]!.textContent,
        ca: cells[3]!.textContent,
        url: cells[4]!.textContent,
        open: body.querySelector('a[target]')?.getAttribute('href') ?? null,
        toggle: body.querySelector<HTMLInputElement>('input[role=switch]')!,
        body,
      }
    }),
  }))
}
const row = (table: string, url: string) => {
  const found = tables()
    .find((t) => t.heading === table)
    ?.rows.find((r) => r.url === url)
  expect(found, `${table}: ${url}`).toBeDefined()
  return found!
}

describe('the URL of an address', () => {
  it('is built as the SDK builds it: brackets, default ports left out, suffix, user, link-local scope', () => {
    expect(addressUrl(LAN, WEB)).toEqual({ scheme: 'http', url: 'http://192.168.1.20/app', open: true })
    expect(addressUrl(MDNS, WEB)).toEqual({ scheme: 'https', url: 'https://hello.local/app', open: true })
    expect(addressUrl(WAN, WEB)?.url).toBe('http://203.0.113.7:32001/app')
    expect(addressUrl(V6, WEB)).toEqual({ scheme: 'http', url: 'http://[2001:db8::5]:32001/app', open: true })
    expect(addressUrl(V6_PUBLIC, WEB)?.url).toBe('https://[2001:db8::9]/app')
    // A link-local address is shown with its zone, but browsers cannot open it.
    expect(addressUrl(LINK_LOCAL, WEB)).toEqual({ scheme: 'http', url: 'http://[fe80::1%252]:32001/app', open: false })
    // An https address on port 80 keeps its port; a user name is encoded before the host.
    expect(addressUrl({ ...(LAN as object), ssl: true }, { ...WEB, username: 'ad min' })?.url).toBe('https://ad%20min@192.168.1.20:80/app')
    // No scheme for it (a p2p interface): host and port, nothing to open.
    expect(addressUrl(WAN, { ...WEB, scheme: null })).toEqual({ scheme: null, url: '203.0.113.7:32001', open: false })
    expect(addressUrl(V6, { ...WEB, scheme: null })?.url).toBe('[2001:db8::5]:32001')
  })

  it('is opened only over http(s), and only at the address’s own host', () => {
    expect(addressUrl(LAN, { ...WEB, scheme: 'javascript' })?.open).toBe(false)
    expect(addressUrl(LAN, { ...WEB, scheme: 'ssh' })?.open).toBe(false)
    expect(addressUrl(WAN, { ...WEB, suffix: '@evil.example/' })?.open).toBe(false)
    expect(addressUrl(HOSTILE, WEB)?.open).toBe(false)
  })
})

describe('whether an address is on', () => {
  it('a public one only when enabled names it (off by default), a private one unless disabled names it', () => {
    const addresses = member(BINDING, 'addresses')
    expect(isOn(addresses, '203.0.113.7', 32001, true)).toBe(false)
    expect(isOn(addresses, '198.51.100.2', 32001, true)).toBe(true)
    expect(isOn(addresses, '2001:db8::9', 443, true, 'ipv6')).toBe(true)
    expect(enabledKey('2001:db8::9', 443, 'ipv6')).toBe('[2001:db8::9]:443')
    expect(isOn(addresses, '10.0.0.5', 32001, false)).toBe(false)
    expect(isOn(addresses, '192.168.1.20', 80, false)).toBe(true)
    expect(isOn({ available: [] }, '203.0.113.7', 32001, true)).toBe(false) // no `enabled` at all
    expect(isOn({ available: [] }, '192.168.1.20', 80, false)).toBe(true) // no `disabled` at all
  })

  it('keeps loopback on: the server and its CLI use it, and the daemon refuses to turn it off', () => {
    expect(isLoopback('127.0.0.1')).toBe(true)
    expect(isLoopback('127.8.9.10')).toBe(true)
    expect(isLoopback('::1')).toBe(true)
    expect(isLoopback('localhost')).toBe(true)
    expect(isLoopback('10.0.0.5')).toBe(false)
    expect(isLoopback('127.0.0.1.evil.example')).toBe(false)
    const [view] = bindingAddresses(
      { addresses: { available: [{ ssl: false, public: false, hostname: '127.0.0.1', port: 80, metadata: { kind: 'ipv4', gateway: 'lo' } }] } },
      { hostId: 'main', internalPort: 80, scheme: 'http', sslScheme: 'https', suffix: '', username: null },
      undefined,
    )
    expect(view?.fixed).toBe(true)
  })

  it('groups per gateway, an mDNS name in each gateway it lists, known gateways first and empty ones kept', () => {
    const views = byGateway(bindingAddresses(BINDING, WEB, HOST), { wlan0: gateway('Home Wi-Fi'), lo: gateway(null) })
    expect(views.map((v) => v.id)).toEqual(['wlan0', 'lo', 'eth0'])
    expect(views[0]!.addresses.map((a) => a.hostname)).toEqual(['hello.local', '198.51.100.2', '10.0.0.5'])
    expect(views[1]!.addresses).toEqual([])
    expect(views[2]!.addresses[0]!.hostname).toBe('hello.local') // mDNS first, then domains, IPv4, IPv6
  })
})

function member(v: Json, key: string): Json | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? v[key] : undefined
}

describe('the addresses page of a service interface', () => {
  it('shows one table per gateway, with access, type, authority, URL and what can be opened', async () => {
    await open('service')
    expect(document.querySelector('h1')?.textContent).toContain('Web UI')
    expect(document.body.textContent).toContain('The shop window')
    const all = tables()
    expect(all.map((t) => t.heading)).toEqual(['eth0', 'Home Wi-Fi', 'VPN'])
    // The mDNS name goes through both gateways: it is in both tables.
    expect(all[0]!.rows.map((r) => r.url)).toContain('https://hello.local/app')
    expect(all[1]!.rows.map((r) => r.url)).toEqual(['https://hello.local/app', 'http://198.51.100.2:32001/app', 'http://10.0.0.5:32001/app'])
    expect(all[2]!.rows).toEqual([])
    expect(all[2]!.empty).toBe('This interface has no addresses on this gateway.')

    const lan = row('eth0', 'http://192.168.1.20/app')
    expect([lan.on, lan.dimmed, lan.access, lan.type, lan.ca, lan.open]).toEqual([true, false, 'Private', 'IPv4', 'None', 'http://192.168.1.20/app'])
    const anchor = lan.body.querySelector('a[target]')!
    expect([anchor.getAttribute('target'), anchor.getAttribute('rel')]).toEqual(['_blank', 'noopener noreferrer'])
    // Public IPv4 is off until enabled: dimmed, its switch off, nothing to open.
    const wan = row('eth0', 'http://203.0.113.7:32001/app')
    expect([wan.on, wan.dimmed, wan.access, wan.open]).toEqual([false, true, 'Public', null])
    expect(row('Home Wi-Fi', 'http://198.51.100.2:32001/app').on).toBe(true)
    // A private address the owner turned off.
    expect([row('Home Wi-Fi', 'http://10.0.0.5:32001/app').on, row('Home Wi-Fi', 'http://10.0.0.5:32001/app').dimmed]).toEqual([false, true])
    const mdns = row('eth0', 'https://hello.local/app')
    expect([mdns.on, mdns.type, mdns.ca]).toEqual([true, 'mDNS', 'Root CA'])
    const shop = row('eth0', 'https://shop.example.com/app')
    expect([shop.on, shop.access, shop.type, shop.ca]).toEqual([true, 'Public', 'Domain', 'Let’s Encrypt'])
    const v6 = row('eth0', 'https://[2001:db8::9]/app')
    expect([v6.on, v6.type, v6.ca, v6.open]).toEqual([true, 'IPv6', 'Root CA', 'https://[2001:db8::9]/app'])
    const linkLocal = row('eth0', 'http://[fe80::1%252]:32001/app')
    expect([linkLocal.on, linkLocal.open]).toEqual([true, null])

    // Each row can be copied and shown as a QR code; every switch is named by its URL.
    expect(lan.body.querySelector('button[aria-label="Copy http://192.168.1.20/app"]')).not.toBeNull()
    expect(lan.toggle.getAttribute('aria-label')).toBe('Reachable at http://192.168.1.20/app')
    lan.body.querySelector<HTMLButtonElement>('button[aria-expanded]')!.click()
    await settle()
    expect(lan.body.querySelectorAll('svg.qr rect').length).toBeGreaterThan(100)

    // Root CA addresses: the root to download, named after the server, and how to trust it.
    const ca = document.querySelector<HTMLAnchorElement>('a[href="/static/local-root-ca.crt"]')!
    expect(ca.getAttribute('download')).toBe('box.crt')
    expect(document.querySelector('.root-ca details')?.textContent).toContain('Chrome on Linux')
    expect(document.querySelector('.root-ca details')?.textContent).toContain('Firefox')
  })

  it('switches an address with the service’s method, disabled while the call runs, and follows the database', async () => {
    let release: (a: Answer) => void = () => {}
    const { calls, revise } = await open('service', () => new Promise<Answer>((r) => (release = r)))
    row('eth0', 'http://203.0.113.7:32001/app').toggle.click()
    await until(() => calls.length === 1, 'the call')
    expect(calls[0]).toEqual({
      method: 'package.host.binding.set-address-enabled',
      params: { package: 'hello', host: 'main', internalPort: 80, address: WAN, enabled: true },
    })
    await settle()
    expect(row('eth0', 'http://203.0.113.7:32001/app').toggle.disabled).toBe(true)
    // The click alone does not turn it on: the database does.
    expect(row('eth0', 'http://203.0.113.7:32001/app').on).toBe(false)
    revise(2, [{ op: 'add', path: '/packageData/hello/hosts/main/bindings/80/addresses/enabled/-', value: '203.0.113.7:32001' }])
    release({ result: null })
    await until(() => !row('eth0', 'http://203.0.113.7:32001/app').toggle.disabled, 'the switch back')
    const wan = row('eth0', 'http://203.0.113.7:32001/app')
    expect([wan.on, wan.dimmed, wan.open]).toEqual([true, false, 'http://203.0.113.7:32001/app'])

    // Turning an mDNS name off in one table turns it off in both, from the database.
    row('Home Wi-Fi', 'https://hello.local/app').toggle.click()
    await until(() => calls.length === 2, 'the second call')
    expect(calls[1]!.params).toEqual({ package: 'hello', host: 'main', internalPort: 80, address: MDNS, enabled: false })
    revise(3, [{ op: 'add', path: '/packageData/hello/hosts/main/bindings/80/addresses/disabled/-', value: ['hello.local', 443] }])
    release({ result: null })
    await until(() => !row('eth0', 'https://hello.local/app').on, 'the mDNS name off')
    expect(row('Home Wi-Fi', 'https://hello.local/app').on).toBe(false)
  })

  it('shows a refused switch’s error at its address and lets it be tried again', async () => {
    const { calls } = await open('service', () => ({ error: { code: 6, message: 'no such address' } }))
    row('eth0', 'http://192.168.1.20/app').toggle.click()
    await until(() => document.querySelector('[role=alert]') !== null, 'the error')
    const lan = row('eth0', 'http://192.168.1.20/app')
    expect(lan.body.querySelector('[role=alert]')?.textContent).toContain('no such address')
    expect(calls[0]!.params.enabled).toBe(false)
    expect([lan.on, lan.toggle.disabled]).toEqual([true, false])
  })

  it('shows a hostile hostname as text, with nothing to open', async () => {
    await open('service')
    const hostile = row('eth0', `http://${MARKUP}:32001/app`)
    expect(hostile.open).toBeNull()
    expect(document.querySelector('img')).toBeNull()
    expect((globalThis as { pwned?: unknown }).pwned).toBeUndefined()
    expect(hostile.body.querySelector('code')?.innerHTML).toContain('&lt;img')
  })

  it('says so when the server has no gateway at all, or the interface does not exist', async () => {
    const empty = model({})
    const pkg = member(member(empty, 'packageData')!, 'hello')!
    ;(pkg as { hosts: Json }).hosts = { main: { bindings: { '80': { ...(BINDING as object), addresses: { enabled: [], disabled: [], available: [] } } } } }
    await open('service', undefined, empty)
    expect(document.body.textContent).toContain('The server has no network gateway')
    render(null, document.body)
    const live = liveDb(model())
    await settle()
    render(<InterfaceAddresses db={live.db} id="hello" interfaceId="nope" />, document.body)
    await settle()
    expect(document.querySelector('h1')?.textContent).toBe('This service has no such interface.')
  })
  it('hides the user part of a masked interface’s URLs, and copies them whole', async () => {
    const dump = model()
    const iface = member(member(BINDING, 'interfaces')!, 'ui') as Record<string, Json>
    const hosts = { main: { ...(HOST as object), bindings: { '80': { ...(BINDING as object), interfaces: { ui: { ...iface, masked: true, addressInfo: { ...WEB, username: 'admin' } } } } } } }
    ;(member(member(dump, 'packageData')!, 'hello') as { hosts: Json }).hosts = hosts
    const copied: string[] = []
    vi.stubGlobal('navigator', { clipboard: { writeText: async (text: string) => void copied.push(text) } })
    await open('service', undefined, dump)
    const lan = row('eth0', 'http://••••@192.168.1.20/app')
    expect(document.body.textContent).not.toContain('admin@')
    lan.body.querySelector<HTMLButtonElement>('button[aria-label="Copy http://••••@192.168.1.20/app"]')!.click()
    await until(() => copied.length === 1, 'the copy')
    expect(copied).toEqual(['http://admin@192.168.1.20/app'])
  })
})

describe('the addresses page of the server’s own UI', () => {
  it('lists its addresses and switches them with the server’s method', async () => {
    const { calls } = await open('server')
    expect(document.querySelector('h1')?.textContent).toBe('Addresses of this server')
    expect(document.body.textContent).toContain('Server UI')
    expect(tables().map((t) => [t.heading, t.rows.map((r) => r.url)])).toEqual([
      ['eth0', ['https://box.local', 'http://192.168.1.20']],
      ['Home Wi-Fi', ['https://box.local']],
      ['VPN', []],
    ])
    row('eth0', 'http://192.168.1.20').toggle.click()
    await until(() => calls.length === 1, 'the call')
    expect(calls[0]).toEqual({
      method: 'server.host.binding.set-address-enabled',
      params: { internalPort: 80, address: { ssl: false, public: false, hostname: '192.168.1.20', port: 80, metadata: { kind: 'ipv4', gateway: 'eth0' } }, enabled: false },
    })
  })
  it('asks before turning off the address this page was opened at', async () => {
    const happy = (window as unknown as { happyDOM: { setURL(url: string): void } }).happyDOM
    happy.setURL('http://192.168.1.20/system/addresses')
    try {
      const { calls } = await open('server')
      row('eth0', 'http://192.168.1.20').toggle.click()
      // The question opens after a render: waited for, not assumed after one tick (a loaded
      // machine needed more).
      const asked = () => document.querySelector<HTMLDialogElement>('dialog')?.open === true
      await until(asked, 'the question')
      const question = document.querySelector<HTMLDialogElement>('dialog')!
      expect(question.open).toBe(true)
      expect(question.textContent).toContain('This page is open at 192.168.1.20')
      expect(calls).toEqual([])
      ;[...question.querySelectorAll('button')].find((b) => b.textContent === 'Cancel')!.click()
      await settle()
      expect(calls).toEqual([])
      row('eth0', 'http://192.168.1.20').toggle.click()
      await until(asked, 'the question again')
      ;[...question.querySelectorAll('button')].find((b) => b.textContent === 'Turn it off')!.click()
      await until(() => calls.length === 1, 'the call')
      expect(calls[0]!.params.enabled).toBe(false)
      // Another address goes at once.
      row('eth0', 'https://box.local').toggle.click()
      await until(() => calls.length === 2, 'the second call')
    } finally {
      happy.setURL('http://localhost:3000/')
    }
  })
})

describe('the service page', () => {
  it('links each interface to its addresses page', async () => {
    daemon(() => ({ result: null }))
    const { Service } = await import('../src/pages/Service')
    const live = liveDb(model())
    await settle()
    render(<Service db={live.db} id="hello" />, document.body)
    await settle()
    const link = [...document.querySelectorAll('a')].find((a) => a.textContent === 'Addresses of Web UI')
    expect(link?.getAttribute('href')).toBe('/services/hello/interfaces/ui')
    // Only the addresses that are on are listed there.
    const urls = [...document.querySelectorAll('.addresses code')].map((c) => c.textContent)
    expect(urls).toContain('http://198.51.100.2:32001/app')
    expect(urls).not.toContain('http://203.0.113.7:32001/app')
    expect(urls).not.toContain('http://10.0.0.5:32001/app')
  })
})
