// @vitest-environment happy-dom
import { render } from 'preact'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { Json } from '../src/db/json'
import { liveDb, settle } from './live-db'
import kitchen from './fixtures/hello-kitchen-order.spec.json'

async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (check()) return
    await new Promise((r) => setTimeout(r, 10))
  }
  throw new Error(`never: ${what}`)
}

type Call = { method: string; params: Record<string, unknown> }

/** The daemon's RPC, answered by `answer`; every call is kept. */
function daemon(answer: (c: Call) => unknown) {
  const calls: Call[] = []
  vi.stubGlobal('fetch', async (url: string, init?: RequestInit) => {
    if (!url.startsWith('/rpc/')) return new Response('# Kitchen\n\nCook *well*.', { status: 200 })
    const body = JSON.parse(init!.body as string)
    const call = { method: body.method, params: body.params }
    calls.push(call)
    return new Response(JSON.stringify({ jsonrpc: '2.0', id: body.id, result: answer(call) ?? null }), { status: 200 })
  })
  return calls
}

const KITCHEN: Json = {
  stateInfo: { state: 'installed', manifest: { id: 'hello-kitchen', title: 'Hello Kitchen', version: '1.1.0:0' } },
  statusInfo: {
    desired: { main: 'running' },
    started: '2026-12-06T00:00:00Z',
    error: null,
    health: {
      web: { name: 'Web Page', result: 'success', message: 'The kitchen is open' },
      oven: { name: 'Oven', result: 'failure', message: 'Too cold' },
    },
  },
  actions: {
    'place-order': { name: 'Place Order', description: 'Order a dish', warning: 'The cook starts at once.', visibility: 'enabled', allowedStatuses: 'any', hasInput: true, group: null },
    'clean-up': { name: 'Clean Up', description: 'Wipe the tables', warning: null, visibility: 'enabled', allowedStatuses: 'only-stopped', hasInput: false, group: 'Chores' },
    secret: { name: 'Secret', description: '', warning: null, visibility: 'hidden', allowedStatuses: 'any', hasInput: false, group: null },
    closed: { name: 'Close Early', description: 'Send everyone home', warning: null, visibility: { disabled: 'Only the owner may' }, allowedStatuses: 'any', hasInput: false, group: null },
  },
  hosts: {
    main: {
      bindings: {
        '80': {
          enabled: true,
          addresses: {
            available: [
              { ssl: false, public: false, hostname: '192.168.1.20', port: 32001, metadata: { kind: 'ipv4', gateway: 'eth0' } },
              { ssl: true, public: false, hostname: 'box.local', port: 443, metadata: { kind: 'mdns', gateways: ['eth0'] } },
              { ssl: false, public: false, hostname: 'fe80::1', port: 32001, metadata: { kind: 'ipv6', gateway: 'eth0', scopeId: 2 } },
            ],
          },
          interfaces: {
            ui: { id: 'ui', name: 'Web UI', description: 'The menu', masked: false, type: 'ui', addressInfo: { username: null, hostId: 'main', internalPort: 80, scheme: 'http', sslScheme: 'https', suffix: '/menu' } },
          },
        },
      },
    },
  },
  currentDependencies: {
    'hello-world': { title: 'Hello World', icon: 'javascript:alert(1)', versionRange: '>=1.0.0', kind: 'running', healthChecks: ['web'] },
    market: { title: 'Market', icon: null, versionRange: '*', kind: 'exists' },
  },
  tasks: {
    'hello-world:set-name': { active: true, task: { packageId: 'hello-world', actionId: 'set-name', severity: 'important', reason: 'Greet the cook', input: { kind: 'partial', accept: [{ name: 'Cook' }], set: { name: 'Cook' } } } },
  },
}

const WORLD: Json = {
  stateInfo: { state: 'installed', manifest: { id: 'hello-world', title: 'Hello World', version: '1.0.0:0' } },
  statusInfo: { desired: { main: 'running' }, started: '2026-12-06T00:00:00Z', error: null, health: { web: { name: 'Web', result: 'starting', message: null } } },
  actions: { 'set-name': { name: 'Set Name', description: 'Choose the name', warning: null, visibility: 'enabled', allowedStatuses: 'any', hasInput: true, group: null } },
  tasks: {
    'hello-kitchen:place-order': { active: true, task: { packageId: 'hello-kitchen', actionId: 'place-order', severity: 'critical', reason: 'Order something first', input: { kind: 'partial', accept: [], set: { dish: 'Pie', table: { number: 9 } } } } },
  },
}

afterEach(() => {
  render(null, document.body)
  vi.unstubAllGlobals()
})

async function open(id: string, answer: (c: Call) => unknown = () => null) {
  const calls = daemon((c) => answer(c) ?? (c.method === 'package.logs' ? { entries: [], startCursor: null, endCursor: null } : c.method === 'package.stats' ? {} : null))
  const { Service } = await import('../src/pages/Service')
  const live = liveDb({ serverInfo: { name: 'box' }, packageData: { 'hello-kitchen': KITCHEN, 'hello-world': WORLD } })
  await settle()
  render(<Service db={live.db} id={id} />, document.body)
  await settle()
  return { calls, ...live }
}

const section = (heading: string): string => {
  const h = [...document.querySelectorAll('h2')].find((e) => e.textContent === heading)
  expect(h, heading).toBeDefined()
  let text = ''
  for (let n = h!.nextElementSibling; n !== null && n.tagName !== 'H2'; n = n.nextElementSibling) text += `${n.textContent} `
  return text
}
const button = (name: string) => [...document.querySelectorAll('button')].find((b) => b.textContent === name)

describe('a service page, live from the database', () => {
  it('shows status, tasks asked of it, health, actions by status, interfaces and dependencies', async () => {
    await open('hello-kitchen')
    expect(document.querySelector('h1')?.textContent).toBe('Hello Kitchen')
    expect(document.body.textContent).toContain('1.1.0:0')
    expect(document.body.textContent).toContain('Unhealthy')

    // hello-world asks hello-kitchen for an order: a critical task, shown here, with who asks.
    expect(section('Tasks')).toContain('Order something first')
    expect(section('Tasks')).toContain('asked by Hello World')

    expect(section('Health checks')).toContain('Web Page')
    expect(section('Health checks')).toContain('Failing')
    expect(section('Health checks')).toContain('Too cold')

    // Hidden actions are not shown; only-stopped waits; a disabled one says why.
    expect(section('Actions')).not.toContain('Secret')
    expect(button('Place Order')?.disabled).toBe(false)
    expect(button('Clean Up')?.disabled).toBe(true)
    expect(section('Actions')).toContain('only while it is stopped')
    expect(button('Close Early')?.disabled).toBe(true)
    expect(section('Actions')).toContain('Only the owner may')
    expect(section('Actions')).toContain('Chores')

    const urls = [...document.querySelectorAll('.addresses code')].map((c) => c.textContent)
    // The scheme's default port is left out; a link-local IPv6 address carries its scope and is not opened.
    expect(urls).toEqual(['http://192.168.1.20:32001/menu', 'https://box.local/menu', 'http://[fe80::1%252]:32001/menu'])
    expect([...document.querySelectorAll('.addresses a[target]')].map((a) => a.getAttribute('rel'))).toEqual(['noopener noreferrer', 'noopener noreferrer'])

    // hello-world runs but its web check is still starting: not satisfied; the task that fixes it is offered.
    const deps = section('Dependencies')
    expect(deps).toContain('Hello World')
    expect(deps).toContain('Unhealthy')
    expect(deps).toContain('Market')
    expect(deps).toContain('Not installed')
    expect(button('Set Name')).toBeDefined()
    expect(document.querySelector('.dependencies img')).toBeNull() // a javascript: icon is not used
  })

  it('follows the database: a check that passes is shown without a reload', async () => {
    const { revise } = await open('hello-kitchen')
    revise(2, [{ op: 'replace', path: '/packageData/hello-kitchen/statusInfo/health/oven', value: { name: 'Oven', result: 'success', message: 'Hot' } }])
    await settle()
    expect(section('Health checks')).toContain('Hot')
    expect(document.body.textContent).toContain('Healthy')
  })

  it('runs an action with input: get-input with the task’s prefill, the form, then run with the same eventId', async () => {
    const { calls } = await open('hello-kitchen', (c) =>
      c.method === 'package.action.get-input'
        ? { eventId: 'E-1', spec: kitchen, value: { dish: 'Stew', table: { number: 2, byTheWindow: true } } }
        : c.method === 'package.action.run'
          ? { version: '1', title: 'Order placed', message: 'Your ticket:', result: { type: 'group', value: [{ name: 'Ticket', description: null, type: 'single', value: 'T-42', copyable: true, qr: true, masked: true }] } }
          : null,
    )
    // From the task: the prefill (dish Pie, table 9) over the current value.
    button('Place Order')!.click() // the task's button carries the action's name
    await until(() => document.querySelector('dialog.action-dialog form input') !== null, 'the form')
    expect(calls.find((c) => c.method === 'package.action.get-input')?.params).toEqual({ packageId: 'hello-kitchen', actionId: 'place-order', prefill: { dish: 'Pie', table: { number: 9 } } })
    const dialog = document.querySelector('dialog.action-dialog')!
    expect(dialog.textContent).toContain('The cook starts at once.')
    const field = (label: string) => {
      const l = [...dialog.querySelectorAll('label')].find((e) => e.textContent?.replace(' *', '') === label)
      expect(l, label).toBeDefined()
      return dialog.querySelector<HTMLInputElement>(`#${CSS.escape(l!.getAttribute('for')!)}`)!
    }
    expect(field('Dish').value).toBe('Pie')
    expect(field('Table Number').value).toBe('9')
    expect(field('By the Window').checked).toBe(true)
    // Every visible field type has a control; the hidden one has none; the file field says why it is off.
    for (const legend of ['Salted', 'Sides', 'Guests', 'Extras', 'Table', 'Payment']) expect([...dialog.querySelectorAll('legend')].map((l) => l.textContent)).toContain(legend)
    expect(field('Photo').disabled).toBe(true)
    expect(dialog.textContent).toContain('Files cannot be handed')

    // A wrong value: nothing is sent, the problem is shown at its field.
    const dish = field('Dish')
    dish.value = '<script>'
    dish.dispatchEvent(new Event('input', { bubbles: true }))
    await settle()
    dialog.querySelector<HTMLButtonElement>('button[type=submit]')!.click()
    await settle()
    expect(calls.some((c) => c.method === 'package.action.run')).toBe(false)
    expect(dialog.textContent).toContain('No angle brackets')
    expect(dialog.textContent).toContain('1 field(s) need attention.')

    field('Dish').value = 'Pie'
    field('Dish').dispatchEvent(new Event('input', { bubbles: true }))
    const servings = field('Servings')
    servings.value = '3'
    servings.dispatchEvent(new Event('input', { bubbles: true }))
    const payment = dialog.querySelector<HTMLSelectElement>('fieldset select')!
    expect(payment).toBeDefined()
    await settle()
    dialog.querySelector<HTMLButtonElement>('button[type=submit]')!.click()
    await until(() => calls.some((c) => c.method === 'package.action.run'), 'the run')
    const run = calls.find((c) => c.method === 'package.action.run')!.params
    expect(run.eventId).toBe('E-1')
    expect(run.input).toMatchObject({ dish: 'Pie', servings: 3, table: { number: 9, byTheWindow: true }, payment: { selection: 'cash', value: {} }, photo: null, ticket: null })

    // The result: masked until revealed, then copyable and as a QR code.
    await until(() => dialog.textContent?.includes('Order placed') === true, 'the result')
    expect(dialog.textContent).not.toContain('T-42')
    const inDialog = (name: string) => [...dialog.querySelectorAll('button')].find((b) => b.textContent === name)!
    inDialog('Reveal').click()
    await settle()
    expect(dialog.textContent).toContain('T-42')
    inDialog('QR code').click()
    await settle()
    expect(dialog.querySelectorAll('svg.qr rect').length).toBeGreaterThan(100)
  })

  it('asks before uninstalling, and keeps the data when asked to', async () => {
    const { calls } = await open('hello-world')
    button('Uninstall')!.click()
    await settle()
    const question = [...document.querySelectorAll('dialog')].find((d) => d.textContent?.includes('Uninstall Hello World?'))!
    expect(question.textContent).toContain('cannot be undone')
    question.querySelector<HTMLInputElement>('input[type=checkbox]')!.click()
    await settle()
    expect(question.textContent).toContain('its data stays on the server')
    ;[...question.querySelectorAll('button')].find((b) => b.textContent === 'Uninstall')!.click()
    await until(() => calls.some((c) => c.method === 'package.uninstall'), 'the uninstall')
    expect(calls.find((c) => c.method === 'package.uninstall')!.params).toEqual({ id: 'hello-world', soft: true })
  })

  it('links the services list to the web address on the host the page was reached on', async () => {
    const { primaryUrl } = await import('../src/pages/service-model')
    expect(primaryUrl(KITCHEN, 'box.local')).toBe('https://box.local/menu')
    expect(primaryUrl(KITCHEN, 'elsewhere')).toBe('http://192.168.1.20:32001/menu')
    expect(primaryUrl(WORLD, 'box.local')).toBeNull()
  })

  it('says so when the service is not installed', async () => {
    await open('nothing-here')
    expect(document.querySelector('h1')?.textContent).toBe('This service is not installed.')
  })
})
