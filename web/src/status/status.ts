import { isObject, member as at, type Json } from '../db/json'

/** What a person is shown for a package (lifecycle.md §3.4). */
export type DisplayedStatus =
  | 'installing'
  | 'updating'
  | 'restoring'
  | 'removing'
  | 'error'
  | 'starting'
  | 'stopping'
  | 'running'
  | 'stopped'
  | 'restarting'
  | 'backing-up'
  | 'task-required'
  | 'unknown'

/** The health checks of a running service, in one word (lifecycle.md §3.4). */
export type AggregateHealth = 'failure' | 'starting' | 'loading' | 'success'

/** Statuses whose display is their own, which a pending task does not override. */
const OWN_DISPLAY: ReadonlySet<string> = new Set(['installing', 'updating', 'removing', 'restoring', 'backing-up', 'error'])
const NOT_INSTALLED: ReadonlySet<string> = new Set(['installing', 'updating', 'restoring', 'removing'])
const DESIRED: ReadonlySet<string> = new Set(['running', 'stopped', 'restarting', 'backing-up'])

/** The longest error line shown where a service is listed. */
export const MAX_ERROR = 160


function present(v: Json | undefined): boolean {
  return v !== undefined && v !== null
}

/**
 * The status the UI shows for one entry of `packageData`, by the upstream UI's rules in their
 * order, so that this UI and `start-cli package list` (`DisplayedStatus` in Java) agree.
 */
export function displayedStatus(entry: Json | undefined): DisplayedStatus {
  const state = at(entry, 'stateInfo', 'state')
  if (state !== 'installed') {
    return typeof state === 'string' && NOT_INSTALLED.has(state) ? (state as DisplayedStatus) : 'unknown'
  }
  const status = at(entry, 'statusInfo')
  const desiredValue = at(status, 'desired', 'main')
  const desired = typeof desiredValue === 'string' && DESIRED.has(desiredValue) ? desiredValue : 'stopped'
  const started = present(at(status, 'started'))
  let shown: DisplayedStatus
  if (present(at(status, 'error'))) shown = 'error'
  else if (desired === 'running' && (!started || anyHealth(status, 'starting', 'waiting'))) shown = 'starting'
  else if (desired === 'stopped' && started) shown = 'stopping'
  else shown = desired as DisplayedStatus
  if (!OWN_DISPLAY.has(shown) && hasActiveCriticalTask(entry)) return 'task-required'
  return shown
}

/**
 * The health checks in one word, only while the service is meant to run: any failure, else any
 * starting, else any loading, else success; undefined when it is not meant to run or has none.
 */
export function aggregateHealth(entry: Json | undefined): AggregateHealth | undefined {
  const status = at(entry, 'statusInfo')
  if (at(status, 'desired', 'main') !== 'running') return undefined
  const checks = at(status, 'health')
  if (!isObject(checks) || Object.keys(checks).length === 0) return undefined
  for (const kind of ['failure', 'starting', 'loading'] as const) if (anyHealth(status, kind)) return kind
  return 'success'
}

/** Why the service failed, as the first line of `statusInfo.error.details`, or "" when it has not. */
export function errorLine(entry: Json | undefined): string {
  const details = at(entry, 'statusInfo', 'error', 'details')
  if (typeof details !== 'string') return ''
  const line = details.trim().split(/\r?\n/, 1)[0] ?? ''
  return line.length > MAX_ERROR ? line.slice(0, MAX_ERROR - 1) + '…' : line
}

function anyHealth(status: Json | undefined, ...results: string[]): boolean {
  const checks = at(status, 'health')
  if (!isObject(checks)) return false
  return Object.values(checks).some((c) => {
    const result = at(c, 'result')
    return typeof result === 'string' && results.includes(result)
  })
}

function hasActiveCriticalTask(entry: Json | undefined): boolean {
  const tasks = at(entry, 'tasks')
  if (!isObject(tasks)) return false
  return Object.values(tasks).some((t) => at(t, 'active') === true && at(t, 'task', 'severity') === 'critical')
}
