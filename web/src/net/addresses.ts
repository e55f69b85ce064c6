// Where a binding can be reached: every address the daemon lists for it (`addresses.available`),
// whether each is on, its URL, its certificate authority, and the gateways it belongs to. Pure
// functions of the database, shared by the service page, the services list and the addresses page.
import type { Json } from '../db/json'
import { isObject, member } from '../db/json'

export type AddressKind = 'ipv4' | 'ipv6' | 'mdns' | 'private-domain' | 'public-domain' | 'plugin'
const KINDS: readonly AddressKind[] = ['mdns', 'private-domain', 'public-domain', 'ipv4', 'ipv6', 'plugin']

/** Who signs the certificate a browser is shown at the address. */
export type Authority = 'root-ca' | 'acme' | 'none'

export type AddressView = {
  /** The same for one address in every gateway table it appears in. */
  key: string
  /** The HostnameInfo exactly as listed: what a toggle sends back. */
  info: Json
  hostname: string
  port: number | null
  ssl: boolean
  public: boolean
  kind: AddressKind
  /** The gateways the address is reached through (none for a plugin's). */
  gateways: string[]
  on: boolean
  /** A loopback address: how the server itself and its CLI reach it, so it cannot be turned off. */
  fixed: boolean
  /** The interface's scheme for this address (its ssl scheme on TLS); null when it has none. */
  scheme: string | null
  /** `scheme://host:port/suffix`, or `host:port` when the interface has no scheme for it. */
  url: string
  /** What a link may open: http(s) only, on, not link-local, and going to the address's own host. */
  open: string | null
  authority: Authority
}

export type GatewayView = {
  /** The interface name (`eth0`); `null` for the addresses that name no gateway. */
  id: string | null
  name: string
  addresses: AddressView[]
}

function str(v: Json | undefined): string | null {
  return typeof v === 'string' ? v : null
}

function isIpv6(hostname: string, kind: AddressKind): boolean {
  return kind === 'ipv6' || hostname.includes(':')
}

/** fe80::/10: reachable only through one interface, named by its scope id. */
function isLinkLocal(hostname: string): boolean {
  return /^fe[89ab][0-9a-f]?:/i.test(hostname)
}

const DEFAULT_PORTS: Record<string, number> = { http: 80, https: 443, ws: 80, wss: 443 }

/**
 * The key `addresses.enabled` lists a public address under: `host:port`, an IPv6 host in brackets.
 * An address without a port is keyed by its host alone (the contract gives no form for it).
 */
export function enabledKey(hostname: string, port: number | null, kind: AddressKind = 'ipv4'): string {
  const host = isIpv6(hostname, kind) ? `[${hostname}]` : hostname
  return port === null ? host : `${host}:${port}`
}

/** 127.0.0.0/8, ::1 or localhost: the daemon refuses to turn these off. */
export function isLoopback(hostname: string): boolean {
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname) || hostname === '::1' || hostname === 'localhost'
}

/**
 * Whether an address is on: a public one only when `addresses.enabled` names it (so public
 * addresses start off), a private one unless `addresses.disabled` names it.
 */
export function isOn(addresses: Json | undefined, hostname: string, port: number | null, exposed: boolean, kind: AddressKind = 'ipv4'): boolean {
  if (exposed) {
    const enabled = member(addresses, 'enabled')
    return Array.isArray(enabled) && enabled.includes(enabledKey(hostname, port, kind))
  }
  const disabled = member(addresses, 'disabled')
  if (!Array.isArray(disabled)) return true
  return !disabled.some((d) => Array.isArray(d) && d[0] === hostname && (d[1] ?? null) === port)
}

export type Url = { scheme: string | null; url: string; open: boolean }

/**
 * An address's URL as the SDK builds it: the interface's scheme (its ssl scheme on a TLS address),
 * the username, an IPv6 host in brackets with a link-local one's `%25<scope>`, the port unless it
 * is the scheme's default, then the suffix. With no scheme it is `host:port` and nothing to open.
 * `open` says whether a browser can follow it (http(s), not link-local).
 */
export function addressUrl(info: Json | undefined, addressInfo: Json | undefined): Url | null {
  const hostname = str(member(info, 'hostname'))
  if (hostname === null || hostname === '') return null
  const kind = kindOf(info)
  const ssl = member(info, 'ssl') === true
  const portValue = member(info, 'port')
  const port = typeof portValue === 'number' ? portValue : null
  const scheme = str(member(addressInfo, ssl ? 'sslScheme' : 'scheme'))
  const linkLocal = isIpv6(hostname, kind) && isLinkLocal(hostname)
  let host = hostname
  if (isIpv6(hostname, kind)) {
    const scope = member(info, 'metadata', 'scopeId')
    const zone = hostname.includes('%') ? '' : linkLocal && (typeof scope === 'number' || typeof scope === 'string') ? `%${scope}` : ''
    host = `[${(hostname + zone).replaceAll('%', '%25')}]`
  }
  if (scheme === null || scheme === '') return { scheme: null, url: port === null ? host : `${host}:${port}`, open: false }
  const username = str(member(addressInfo, 'username'))
  const user = username !== null && username !== '' ? `${encodeURIComponent(username)}@` : ''
  const showPort = port !== null && DEFAULT_PORTS[scheme.toLowerCase()] !== port
  const suffix = str(member(addressInfo, 'suffix')) ?? ''
  const url = `${scheme}://${user}${host}${showPort ? `:${port}` : ''}${suffix}`
  return { scheme, url, open: !linkLocal && opensAt(url, host) }
}

/** Only an http(s) URL whose host is the address's own: a scheme or suffix cannot send it elsewhere. */
function opensAt(url: string, host: string): boolean {
  try {
    const parsed = new URL(url)
    // Both through the same parser, so an IPv6 or IDN host compares in its normal form.
    return (parsed.protocol === 'http:' || parsed.protocol === 'https:') && parsed.hostname === new URL(`http://${host}/`).hostname
  } catch {
    return false
  }
}

function kindOf(info: Json | undefined): AddressKind {
  const kind = str(member(info, 'metadata', 'kind'))
  return KINDS.find((k) => k === kind) ?? 'plugin'
}

function gatewaysOf(info: Json | undefined, kind: AddressKind): string[] {
  if (kind === 'mdns' || kind === 'private-domain') {
    const list = member(info, 'metadata', 'gateways')
    return Array.isArray(list) ? [...new Set(list.filter((g): g is string => typeof g === 'string'))] : []
  }
  const one = str(member(info, 'metadata', 'gateway'))
  return one === null ? [] : [one]
}

/**
 * Every address of one binding as the interface (`addressInfo`) reaches it; `host` is the Host the
 * binding belongs to, whose `publicDomains` say which public domains get an ACME certificate.
 */
export function bindingAddresses(binding: Json | undefined, addressInfo: Json | undefined, host: Json | undefined): AddressView[] {
  const addresses = member(binding, 'addresses')
  const available = member(addresses, 'available')
  const out: AddressView[] = []
  for (const info of Array.isArray(available) ? available : []) {
    const hostname = str(member(info, 'hostname'))
    const built = addressUrl(info, addressInfo)
    if (hostname === null || built === null) continue
    const kind = kindOf(info)
    const portValue = member(info, 'port')
    const port = typeof portValue === 'number' ? portValue : null
    const ssl = member(info, 'ssl') === true
    const exposed = member(info, 'public') === true
    const on = isOn(addresses, hostname, port, exposed, kind)
    const acme = member(host, 'publicDomains', hostname, 'acme')
    out.push({
      key: JSON.stringify([kind, hostname, port, ssl, exposed]),
      info,
      hostname,
      port,
      ssl,
      public: exposed,
      kind,
      gateways: gatewaysOf(info, kind),
      on,
      fixed: isLoopback(hostname),
      scheme: built.scheme,
      url: built.url,
      open: on && built.open ? built.url : null,
      authority: !ssl ? 'none' : kind === 'public-domain' && acme !== undefined && acme !== null ? 'acme' : 'root-ca',
    })
  }
  return out
}

/**
 * One table per gateway: every gateway the server has, in its order, each with the addresses that
 * go through it (an mDNS name on two gateways is in both); then gateways the addresses name that
 * the server no longer lists; then the addresses that name none.
 */
export function byGateway(addresses: AddressView[], gateways: Json | undefined): GatewayView[] {
  const tables = new Map<string | null, GatewayView>()
  for (const [id, gateway] of isObject(gateways) ? Object.entries(gateways) : []) {
    tables.set(id, { id, name: str(member(gateway, 'name')) ?? id, addresses: [] })
  }
  const rank = (a: AddressView) => KINDS.indexOf(a.kind)
  for (const address of [...addresses].sort((a, b) => rank(a) - rank(b))) {
    for (const id of address.gateways.length === 0 ? [null] : address.gateways) {
      let table = tables.get(id)
      if (table === undefined) tables.set(id, (table = { id, name: id ?? '', addresses: [] }))
      table.addresses.push(address)
    }
  }
  const nameless = tables.get(null)
  tables.delete(null)
  return nameless === undefined ? [...tables.values()] : [...tables.values(), nameless]
}

/** The interface `interfaceId` among a Host map's bindings, with where it is. */
export type InterfaceAt = { hostId: string; host: Json; internalPort: number; binding: Json; iface: Json }

export function findInterface(hosts: Json | undefined, interfaceId: string): InterfaceAt | null {
  for (const [hostId, host] of isObject(hosts) ? Object.entries(hosts) : []) {
    const found = findInHost(host, (id) => id === interfaceId)
    if (found !== null) return { hostId, ...found }
  }
  return null
}

/** The server's own UI on its Host: the `ui` interface (on port 80 first), else any interface. */
export function serverInterface(host: Json | undefined): Omit<InterfaceAt, 'hostId'> | null {
  return findInHost(host, (_id, iface, port) => member(iface, 'type') === 'ui' && port === 80) ?? findInHost(host, (_id, iface) => member(iface, 'type') === 'ui') ?? findInHost(host, () => true)
}

function findInHost(host: Json | undefined, wanted: (id: string, iface: Json, port: number) => boolean): Omit<InterfaceAt, 'hostId'> | null {
  const bindings = member(host, 'bindings')
  for (const [port, binding] of isObject(bindings) ? Object.entries(bindings) : []) {
    const internalPort = Number(port)
    if (!Number.isSafeInteger(internalPort)) continue
    const interfaces = member(binding, 'interfaces')
    for (const [id, iface] of isObject(interfaces) ? Object.entries(interfaces) : []) {
      if (wanted(id, iface, internalPort)) return { host: host ?? null, internalPort, binding, iface }
    }
  }
  return null
}
