// What the service pages and the services list derive from a package's entry: pure functions of
// the database, no components, so the list can use them without loading the service page.
import type { Json, JsonObject } from '../db/json'
import { isObject, member } from '../db/json'
import type { DisplayedStatus } from '../status/status'
import { bindingAddresses } from '../net/addresses'

export const SEVERITIES = ['critical', 'important', 'optional'] as const
export type Severity = (typeof SEVERITIES)[number]

export function str(v: Json | undefined): string | null {
  return typeof v === 'string' ? v : null
}

export function manifestOf(entry: Json | undefined): Json | undefined {
  return member(entry, 'stateInfo', 'manifest') ?? member(entry, 'stateInfo', 'installingInfo', 'newManifest')
}

export function titleOf(entry: Json | undefined, id: string): string {
  return str(member(manifestOf(entry), 'title')) ?? id
}

export function canStart(s: DisplayedStatus): boolean {
  return s === 'stopped' || s === 'error' || s === 'task-required'
}

export function canStop(s: DisplayedStatus): boolean {
  return s === 'running' || s === 'starting' || s === 'restarting'
}

export type TaskView = { requester: string; replayId: string; severity: Severity; reason: string | null; actionId: string; target: string; prefill: Json | undefined }

/** Active tasks anywhere in the database that ask something of `target`, most severe first. */
export function tasksFor(packages: JsonObject, target: string): TaskView[] {
  const out: TaskView[] = []
  for (const [requester, entry] of Object.entries(packages)) {
    const tasks = member(entry, 'tasks')
    if (!isObject(tasks)) continue
    for (const [replayId, item] of Object.entries(tasks)) {
      const task = member(item, 'task')
      const severity = str(member(task, 'severity'))
      const actionId = str(member(task, 'actionId'))
      if (member(item, 'active') !== true || str(member(task, 'packageId')) !== target || actionId === null) continue
      if (severity !== 'critical' && severity !== 'important' && severity !== 'optional') continue
      out.push({ requester, replayId, severity, reason: str(member(task, 'reason')), actionId, target, prefill: member(task, 'input', 'set') })
    }
  }
  return out.sort((a, b) => SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity))
}

const ANY: DisplayedStatus[] = ['running', 'stopped', 'restarting', 'restoring', 'stopping', 'starting', 'backing-up', 'task-required']

/** Whether an action may run now (lifecycle.md §3.6 `allowedStatuses`). */
export function allowedNow(allowed: Json | undefined, status: DisplayedStatus): boolean {
  if (allowed === 'only-running') return status === 'running'
  if (allowed === 'only-stopped') return status === 'stopped'
  return ANY.includes(status)
}

export type Address = { url: string; kind: string; ssl: boolean; open: boolean }

/**
 * The URLs of one interface that are on, built from its binding's available addresses as the SDK
 * builds them (`src/net/addresses.ts`); an address the interface has no scheme for is left out here.
 */
export function interfaceUrls(binding: Json, addressInfo: Json): Address[] {
  return bindingAddresses(binding, addressInfo, undefined)
    .filter((a) => a.on && a.scheme !== null)
    .map((a) => ({ url: a.url, kind: a.kind, ssl: a.ssl, open: a.open !== null }))
}

/**
 * The address the services list links to: the first web address of the first `ui` interface,
 * preferring the one the page itself was reached on (same host name), else any.
 */
export function primaryUrl(entry: Json, pageHost: string): string | null {
  const hosts = member(entry, 'hosts')
  const urls: string[] = []
  for (const host of isObject(hosts) ? Object.values(hosts) : []) {
    const bindings = member(host, 'bindings')
    for (const binding of isObject(bindings) ? Object.values(bindings) : []) {
      const interfaces = member(binding, 'interfaces')
      for (const iface of isObject(interfaces) ? Object.values(interfaces) : []) {
        if (member(iface, 'type') !== 'ui') continue
        urls.push(...interfaceUrls(binding, member(iface, 'addressInfo') ?? null).filter((a) => a.open).map((a) => a.url))
      }
    }
  }
  const onPageHost = (u: string) => {
    try {
      return new URL(u).hostname === pageHost
    } catch {
      return false
    }
  }
  return urls.find(onPageHost) ?? urls[0] ?? null
}

export type DependencyState = 'satisfied' | 'not-installed' | 'not-running' | 'unhealthy' | 'task'

/** Where a dependency stands (lifecycle.md §5), from the database alone. */
export function dependencyState(dependency: Json, target: Json | undefined, packages: JsonObject, depId: string): DependencyState {
  if (target === undefined || str(member(target, 'stateInfo', 'state')) !== 'installed') return 'not-installed'
  if (tasksFor(packages, depId).some((task) => task.severity === 'critical')) return 'task'
  if (member(dependency, 'kind') !== 'running') return 'satisfied'
  if (member(target, 'statusInfo', 'started') === null || member(target, 'statusInfo', 'started') === undefined) return 'not-running'
  const wanted = member(dependency, 'healthChecks')
  for (const check of Array.isArray(wanted) ? wanted : []) {
    if (typeof check === 'string' && str(member(target, 'statusInfo', 'health', check, 'result')) !== 'success') return 'unhealthy'
  }
  return 'satisfied'
}

/** Active tasks this package asks of others. */
export function allTasksOf(packages: JsonObject, requester: string): TaskView[] {
  const own: JsonObject = {}
  const entry = member(packages, requester)
  if (entry !== undefined) own[requester] = entry
  const out: TaskView[] = []
  for (const target of Object.keys(packages)) out.push(...tasksFor(own, target))
  return out
}

export function servicePath(id: string): string {
  return `/services/${encodeURIComponent(id)}`
}

/** The addresses page of one of a service's interfaces. */
export function interfacePath(id: string, interfaceId: string): string {
  return `${servicePath(id)}/interfaces/${encodeURIComponent(interfaceId)}`
}

/** The addresses page of the server's own UI. */
export const SERVER_ADDRESSES_PATH = '/system/addresses'
