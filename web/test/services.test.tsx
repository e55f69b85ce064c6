// @vitest-environment happy-dom
import { render } from 'preact'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { Json } from '../src/db/json'
import { liveDb, settle } from './live-db'

const manifest = (title: string, version: string) => ({ manifest: { id: title.toLowerCase(), title, version } })
const STARTED = '2026-12-06T00:00:00Z'
const MODEL: Json = {
  serverInfo: { name: 'box' },
  packageData: {
    'hello-world': {
      stateInfo: { state: 'installed', ...manifest('Hello World', '1.0.0:0') },
      statusInfo: { desired: { main: 'running' }, started: STARTED, error: null, health: { web: { name: 'Web', result: 'success', message: null } } },
      tasks: {},
    },
    'needs-config': {
      stateInfo: { state: 'installed', ...manifest('Needs Config', '2.0.0:0') },
      statusInfo: { desired: { main: 'stopped' }, started: null, error: null, health: {} },
      tasks: { t1: { active: true, task: { packageId: 'needs-config', actionId: 'config', severity: 'critical' } } },
    },
    arriving: {
      stateInfo: { state: 'installing', installingInfo: { newManifest: { title: 'Arriving', version: '0.1.0:0' }, progress: { overall: { done: 1, total: 4 }, phases: [] } } },
      tasks: {},
    },
    broken: {
      stateInfo: { state: 'installed', ...manifest('Broken', '1.0.0:0') },
      statusInfo: { desired: { main: 'running' }, started: null, error: { details: 'main failed: TypeError: Invalid URL\n  at x' }, health: {} },
      tasks: {},
    },
  },
}

afterEach(() => {
  render(null, document.body)
  vi.unstubAllGlobals()
})

describe('the services list, live from the database', () => {
  it('shows each service as the UI derives it, and follows a change without a reload', async () => {
    const calls: { method: string; params: unknown }[] = []
    vi.stubGlobal('fetch', async (_url: string, init: RequestInit) => {
      const body = JSON.parse(init.body as string)
      calls.push({ method: body.method, params: body.params })
      return new Response(JSON.stringify({ jsonrpc: '2.0', id: body.id, result: null }), { status: 200 })
    })
    const { Services } = await import('../src/pages/Services')
    const { db, revise } = liveDb(MODEL)
    await settle()
    render(<Services db={db} />, document.body)
    await settle()

    const row = (title: string) => [...document.querySelectorAll('li.service')].find((li) => li.querySelector('h2')?.textContent === title)!
    const text = (title: string) => row(title).textContent ?? ''

    expect(text('Hello World')).toContain('1.0.0:0')
    expect(text('Hello World')).toContain('Running')
    expect(text('Hello World')).toContain('Healthy')
    expect([...row('Hello World').querySelectorAll('button')].map((b) => b.textContent)).toEqual(['Stop', 'Restart'])

    expect(text('Needs Config')).toContain('Task required')
    expect(text('Needs Config')).toContain('1 critical task(s)')
    expect([...row('Needs Config').querySelectorAll('button')].map((b) => b.textContent)).toEqual(['Start'])

    expect(text('Arriving')).toContain('Installing')
    expect(row('Arriving').querySelector('progress')?.getAttribute('value')).toBe('25')

    expect(text('Broken')).toContain('Error')
    expect(text('Broken')).toContain('main failed: TypeError: Invalid URL')
    expect(text('Broken')).not.toContain('at x')

    // A health check fails: the row says so at once.
    revise(2, [{ op: 'replace', path: '/packageData/hello-world/statusInfo/health/web/result', value: 'failure' }])
    await settle()
    expect(text('Hello World')).toContain('Unhealthy')

    // The installation finishes: the row becomes an installed service.
    revise(3, [{ op: 'replace', path: '/packageData/arriving', value: { stateInfo: { state: 'installed', ...manifest('Arriving', '0.1.0:0') }, statusInfo: { desired: { main: 'stopped' }, started: null, error: null, health: {} }, tasks: {} } }])
    await settle()
    expect(text('Arriving')).toContain('Stopped')
    expect(row('Arriving').querySelector('progress')).toBeNull()

    // A button calls the daemon with the service's id.
    ;(row('Hello World').querySelector('button') as HTMLButtonElement).click()
    await settle()
    expect(calls).toContainEqual({ method: 'package.stop', params: { id: 'hello-world' } })
    db.stop()
  })

  it('says so when nothing is installed', async () => {
    const { Services } = await import('../src/pages/Services')
    const { db } = liveDb({ packageData: {} })
    await settle()
    render(<Services db={db} />, document.body)
    await settle()
    expect(document.body.textContent).toContain('No services are installed yet.')
    db.stop()
  })
})
