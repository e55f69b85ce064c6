/**
 * The `effects` object handed to the bundle (spec §1.4 item 3, §2.5): context members plus one
 * function per effect, each a call to the host.
 */
import type { Effects } from '@start9labs/start-sdk/node_modules/@start9labs/start-core/Effects'
import type { Context } from './context'
import type { HostCall } from './host'

/** Every effect of the SDK's `Effects` type, by JS path. The wire name kebab-cases each segment. */
// prettier-ignore
export const EFFECT_PATHS = [
  // actions and tasks
  'action.export', 'action.clear', 'action.getInput', 'action.run', 'action.createTask',
  'action.clearTasks',
  // control, status and callbacks
  'restart', 'shutdown', 'getStatus', 'setMainStatus', 'clearCallbacks',
  // dependencies and other packages
  'setDependencies', 'getDependencies', 'checkDependencies', 'mount', 'getInstalledPackages',
  'getServiceManifest',
  // progress, health, notifications, data version
  'setInitProgress', 'setBackupProgress', 'setHealth', 'notification.create',
  'setDataVersion', 'getDataVersion',
  // subcontainers
  'subcontainer.createFs', 'subcontainer.destroyFs',
  // networking
  'bind', 'bindRange', 'clearBindings', 'getServicePortForward', 'getHostInfo', 'getContainerIp',
  'getOsIp', 'getOutboundGateway', 'exportServiceInterface', 'exportRangeServiceInterface',
  'getServiceInterface', 'listServiceInterfaces', 'clearServiceInterfaces', 'getSslCertificate',
  'getSslKey', 'getSystemSmtp', 'plugin.url.register', 'plugin.url.exportUrl', 'plugin.url.clearUrls',
] as const

type EffectPath = (typeof EFFECT_PATHS)[number]

// The list above must be exactly the SDK's effect methods: a new or renamed effect in an SDK
// upgrade fails type-checking here instead of reaching a package as `undefined is not a function`.
type MethodPaths<T, P extends string = ''> = {
  [K in keyof T & string]-?: T[K] extends (...args: never[]) => unknown
    ? `${P}${K}`
    : T[K] extends object
      ? MethodPaths<T[K], `${P}${K}.`>
      : never
}[keyof T & string]
type SdkEffectPath = Exclude<MethodPaths<Effects>, 'child' | 'onLeaveContext' | 'constRetry'>
type Same<A, B> = [Exclude<A, B> | Exclude<B, A>] extends [never] ? true : false
export type EffectPathsMatchSdk = Assert<Same<EffectPath, SdkEffectPath>>
type Assert<T extends true> = T

/** The effects that take a `callback`; upstream sends `callback: null` on them when there is none. */
// prettier-ignore
const CALLBACK_EFFECTS = new Set([
  'get-status', 'get-host-info', 'get-service-interface', 'list-service-interfaces',
  'get-service-manifest', 'get-system-smtp', 'get-outbound-gateway', 'get-ssl-certificate',
  'get-container-ip',
])

/** `action.createTask` → `action.create-task`. */
export function wireName(path: string): string {
  return path
    .split('.')
    .map((segment) => segment.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`))
    .join('.')
}

/**
 * Effects for `context`. `eventId` is the id of the RPC that caused the calls (null under `main`).
 * A child starts with its parent's current `constRetry`; the SDK usually sets its own on it.
 */
export function makeEffects(
  context: Context,
  eventId: string | null,
  call: HostCall,
  constRetry?: () => void,
): Effects {
  const effects: Record<string, unknown> = {
    eventId,
    get isInContext() {
      return context.isInContext
    },
    child: (name: string) =>
      makeEffects(context.child(name), eventId, call, effects.constRetry as (() => void) | undefined),
    onLeaveContext: (fn: (() => unknown) | null | undefined) => {
      if (fn) context.onLeave(fn)
    },
    constRetry,
  }
  for (const path of EFFECT_PATHS) {
    const method = wireName(path)
    setPath(effects, path, (options?: Record<string, unknown>) =>
      call(method, params(method, options, context, eventId)),
    )
  }
  return effects as unknown as Effects
}

function params(
  method: string,
  options: Record<string, unknown> | undefined,
  context: Context,
  eventId: string | null,
): Record<string, unknown> {
  const params: Record<string, unknown> = { ...options }
  if (CALLBACK_EFFECTS.has(method) || 'callback' in params) {
    const fn = params.callback
    params.callback = typeof fn === 'function' ? context.addCallback(fn as () => unknown) : null
  }
  if (method === 'bind' || method === 'bind-range') params.stack = new Error().stack
  if (eventId !== null) params.eventId = eventId
  return params
}

function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const segments = path.split('.')
  const last = segments.pop() as string
  let node = target
  for (const segment of segments) node = (node[segment] ??= {}) as Record<string, unknown>
  node[last] = value
}
