import { describe, expect, it } from 'vitest'
import type { Json } from '../src/db/json'
import { aggregateHealth, displayedStatus, errorLine, MAX_ERROR } from '../src/status/status'

const installed = (statusInfo: Json, tasks: Json = {}): Json => ({ stateInfo: { state: 'installed' }, statusInfo, tasks })
const CRITICAL: Json = { r1: { active: true, task: { packageId: 'p', actionId: 'a', severity: 'critical' } } }
const health = (...results: string[]): Json =>
  Object.fromEntries(results.map((r, i) => [`h${i}`, { name: `Check ${i}`, result: r, message: null }]))
const STARTED = '2026-01-01T00:00:00Z'

describe('the displayed status (lifecycle.md §3.4), the same vectors as the Java DisplayedStatusTest', () => {
  it('is the state itself while a package is not installed', () => {
    for (const state of ['installing', 'updating', 'restoring', 'removing']) {
      expect(displayedStatus({ stateInfo: { state } })).toBe(state)
    }
    expect(displayedStatus({ stateInfo: { state: 'something-new' } })).toBe('unknown')
    expect(displayedStatus(undefined)).toBe('unknown')
  })

  it('applies the rules in their order', () => {
    const error = { details: 'boom', debug: null, info: null }
    expect(displayedStatus(installed({ desired: { main: 'running' }, started: null, error }, CRITICAL))).toBe('error')
    expect(displayedStatus(installed({ desired: { main: 'running' }, started: null }))).toBe('starting')
    expect(displayedStatus(installed({ desired: { main: 'running' }, started: STARTED, health: health('success', 'starting') }))).toBe('starting')
    expect(displayedStatus(installed({ desired: { main: 'running' }, started: STARTED, health: health('waiting') }))).toBe('starting')
    expect(displayedStatus(installed({ desired: { main: 'stopped' }, started: STARTED }))).toBe('stopping')
    expect(displayedStatus(installed({ desired: { main: 'running' }, started: STARTED, health: health('success') }))).toBe('running')
    expect(displayedStatus(installed({ desired: { main: 'stopped' }, started: null }))).toBe('stopped')
    expect(displayedStatus(installed({ desired: { main: 'restarting', restartAgain: false }, started: null }))).toBe('restarting')
  })

  it('shows an active critical task unless something more urgent is shown', () => {
    const stopped = { desired: { main: 'stopped' }, started: null }
    expect(displayedStatus(installed(stopped, CRITICAL))).toBe('task-required')
    expect(displayedStatus(installed(stopped, JSON.parse(JSON.stringify(CRITICAL).replace('true', 'false'))))).toBe('stopped')
    expect(displayedStatus(installed(stopped, JSON.parse(JSON.stringify(CRITICAL).replace('critical', 'important'))))).toBe('stopped')
    expect(displayedStatus(installed({ desired: { main: 'backing-up', onComplete: 'stop' } }, CRITICAL))).toBe('backing-up')
  })
})

describe('the aggregate health', () => {
  it('is the worst kind, and only while the service is meant to run', () => {
    const running = (h: Json) => installed({ desired: { main: 'running' }, started: STARTED, health: h })
    expect(aggregateHealth(running(health('success', 'loading', 'failure', 'starting')))).toBe('failure')
    expect(aggregateHealth(running(health('success', 'loading', 'starting')))).toBe('starting')
    expect(aggregateHealth(running(health('success', 'loading')))).toBe('loading')
    expect(aggregateHealth(running(health('success', 'disabled')))).toBe('success')
    expect(aggregateHealth(running({}))).toBeUndefined()
    expect(aggregateHealth(installed({ desired: { main: 'stopped' }, health: health('failure') }))).toBeUndefined()
  })
})

describe('the error line', () => {
  it('is the first line of the details, shortened, or nothing', () => {
    expect(errorLine(installed({ error: { details: 'main failed: TypeError: Invalid URL\n    at x' } }))).toBe('main failed: TypeError: Invalid URL')
    expect(errorLine(installed({ error: null }))).toBe('')
    const long = errorLine(installed({ error: { details: 'x'.repeat(500) } }))
    expect(long).toHaveLength(MAX_ERROR)
    expect(long.endsWith('…')).toBe(true)
  })
})
