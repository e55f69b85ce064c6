import { useState } from 'preact/hooks'
import type { Json } from '../db/json'
import { member } from '../db/json'
import type { PatchDb } from '../db/patch-db'
import { t } from '../i18n/catalog'
import { rpc } from '../app/session'
import { go } from '../app/router'
import { CopyButton } from '../app/Copy'
import { Qr } from '../app/Qr'
import { ErrorMessage } from '../app/widgets'
import { Confirm } from '../app/Confirm'
import { bindingAddresses, byGateway, findInterface, serverInterface, type AddressView, type GatewayView } from '../net/addresses'
import { TrustRootCa } from './TrustRootCa'
import { servicePath, str, titleOf } from './service-model'
import './addresses.css'

/** Turns one listed address (the HostnameInfo as the daemon gave it) on or off. */
type Toggle = (address: Json, enabled: boolean) => Promise<unknown>

/**
 * Every address one interface of a service can be reached at, one table per gateway, each with its
 * switch (`package.host.binding.set-address-enabled`). The switch's new state arrives through the
 * live database, like everything else on the page.
 */
export function InterfaceAddresses({ db, id, interfaceId }: { db: PatchDb; id: string; interfaceId: string }) {
  const root = db.select('').value
  if (root === undefined) return <p>{t('common.loading')}</p>
  const entry = member(root, 'packageData', id)
  const back = <BackLink to={servicePath(id)} label={entry === undefined ? t('service.back') : t('addresses.back', { name: titleOf(entry, id) })} />
  if (entry === undefined) {
    return (
      <section>
        {back}
        <h1>{t('service.missing')}</h1>
      </section>
    )
  }
  const found = findInterface(member(entry, 'hosts'), interfaceId)
  if (found === null) {
    return (
      <section>
        {back}
        <h1>{t('addresses.missing')}</h1>
      </section>
    )
  }
  const toggle: Toggle = (address, enabled) =>
    rpc.call('package.host.binding.set-address-enabled', { package: id, host: found.hostId, internalPort: found.internalPort, address, enabled })
  return (
    <section class="addresses-page">
      {back}
      <InterfaceHeading iface={found.iface} fallback={interfaceId} />
      <Tables root={root} binding={found.binding} iface={found.iface} host={found.host} toggle={toggle} />
    </section>
  )
}

/** The same for the server's own web UI (`serverInfo.network.host`), through `server.host.binding.set-address-enabled`. */
export function ServerAddresses({ db }: { db: PatchDb }) {
  const root = db.select('').value
  if (root === undefined) return <p>{t('common.loading')}</p>
  const found = serverInterface(member(root, 'serverInfo', 'network', 'host'))
  const toggle: Toggle = (address, enabled) => rpc.call('server.host.binding.set-address-enabled', { internalPort: found?.internalPort ?? 80, address, enabled })
  return (
    <section class="addresses-page">
      <BackLink to="/system" label={t('addresses.back', { name: t('system.title') })} />
      <h1>{t('addresses.server-title')}</h1>
      {found === null ? (
        <p class="empty">{t('addresses.server-none')}</p>
      ) : (
        <>
          <InterfaceHeading iface={found.iface} fallback="" level="subtitle" />
          <Tables root={root} binding={found.binding} iface={found.iface} host={found.host} toggle={toggle} servesThisPage />
        </>
      )}
    </section>
  )
}

function BackLink({ to, label }: { to: string; label: string }) {
  return (
    <p class="back">
      <a href={to} onClick={(e) => (e.preventDefault(), go(to))}>
        {label}
      </a>
    </p>
  )
}

function InterfaceHeading({ iface, fallback, level = 'title' }: { iface: Json; fallback: string; level?: 'title' | 'subtitle' }) {
  const name = str(member(iface, 'name')) ?? fallback
  const type = str(member(iface, 'type')) ?? ''
  const description = str(member(iface, 'description')) ?? ''
  const badge = type !== '' && <span class="badge">{type.toUpperCase()}</span>
  return (
    <>
      {level === 'title' ? (
        <h1>
          {name} {badge}
        </h1>
      ) : (
        <p class="interface-name">
          <strong>{name}</strong> {badge}
        </p>
      )}
      {description !== '' && <p class="hint">{description}</p>}
      <p class="hint">{t('addresses.intro')}</p>
    </>
  )
}

/**
 * The gateway tables of one interface. `servesThisPage`: the interface is the server's UI, so
 * turning off the address this page was opened at asks first (the page would lose its server).
 */
function Tables({ root, binding, iface, host, toggle, servesThisPage = false }: { root: Json; binding: Json; iface: Json; host: Json; toggle: Toggle; servesThisPage?: boolean }) {
  const addresses = bindingAddresses(binding, member(iface, 'addressInfo'), host)
  const masked = member(iface, 'masked') === true
  const tables = byGateway(addresses, member(root, 'serverInfo', 'network', 'gateways'))
  // One call at a time per address, and its error, whichever table it was switched in.
  const [busy, setBusy] = useState<ReadonlySet<string>>(new Set())
  const [errors, setErrors] = useState<ReadonlyMap<string, unknown>>(new Map())
  const [asking, setAsking] = useState<AddressView | null>(null)
  const flip = (address: AddressView) => {
    if (servesThisPage && address.on && isThisPage(address)) setAsking(address)
    else void send(address)
  }
  const send = async (address: AddressView) => {
    const change = <T,>(set: ReadonlySet<T>, key: T, add: boolean) => {
      const next = new Set(set)
      if (add) next.add(key)
      else next.delete(key)
      return next
    }
    setBusy((b) => change(b, address.key, true))
    setErrors((e) => {
      const next = new Map(e)
      next.delete(address.key)
      return next
    })
    try {
      await toggle(address.info, !address.on)
    } catch (error) {
      setErrors((e) => new Map(e).set(address.key, error))
    } finally {
      setBusy((b) => change(b, address.key, false))
    }
  }
  const hostname = str(member(root, 'serverInfo', 'hostname')) ?? 'root-ca'
  return (
    <>
      {tables.length === 0 && <p class="empty">{t('addresses.no-gateways')}</p>}
      {tables.map((table, i) => (
        <GatewayTable key={table.id ?? ''} table={table} index={i} masked={masked} busy={busy} errors={errors} flip={flip} />
      ))}
      {addresses.some((a) => a.authority === 'root-ca') && <TrustRootCa hostname={hostname} />}
      <Confirm
        open={asking !== null}
        id="address-in-use"
        title={t('addresses.in-use.title')}
        confirm={t('addresses.in-use.confirm')}
        danger
        onConfirm={() => {
          if (asking !== null) void send(asking)
          setAsking(null)
        }}
        onCancel={() => setAsking(null)}
      >
        <p class="warning">{t('addresses.in-use.text', { host: asking?.hostname ?? '' })}</p>
      </Confirm>
    </>
  )
}

/** Whether this page was opened at the address (its host, whatever the port). */
function isThisPage(address: AddressView): boolean {
  if (typeof location === 'undefined') return false
  const here = location.hostname.replace(/^\[|\]$/g, '').toLowerCase()
  return here === address.hostname.toLowerCase()
}

function GatewayTable({
  table,
  index,
  masked,
  busy,
  errors,
  flip,
}: {
  table: GatewayView
  index: number
  masked: boolean
  busy: ReadonlySet<string>
  errors: ReadonlyMap<string, unknown>
  flip: (a: AddressView) => void
}) {
  const heading = `gateway-${index}`
  return (
    <div class="gateway">
      <h2 id={heading}>
        {table.id === null ? t('addresses.no-gateway') : table.name}
        {table.id !== null && table.name !== table.id && <span class="hint"> {table.id}</span>}
      </h2>
      {table.addresses.length === 0 ? (
        <p class="empty">{t('addresses.empty')}</p>
      ) : (
        <div class="table-scroll">
          <table class="address-table" aria-labelledby={heading}>
            <thead>
              <tr>
                <th scope="col">{t('addresses.col.on')}</th>
                <th scope="col">{t('addresses.col.access')}</th>
                <th scope="col">{t('addresses.col.type')}</th>
                <th scope="col">{t('addresses.col.ca')}</th>
                <th scope="col">{t('addresses.col.url')}</th>
                <th scope="col">{t('addresses.col.actions')}</th>
              </tr>
            </thead>
            {table.addresses.map((a) => (
              <AddressRow key={a.key} address={a} masked={masked} busy={busy.has(a.key)} error={errors.get(a.key) ?? null} flip={flip} />
            ))}
          </table>
        </div>
      )}
    </div>
  )
}

const TYPE_KEYS = {
  ipv4: 'addresses.type.ipv4',
  ipv6: 'addresses.type.ipv6',
  mdns: 'addresses.type.mdns',
  'private-domain': 'addresses.type.domain',
  'public-domain': 'addresses.type.domain',
  plugin: 'addresses.type.plugin',
} as const

const AUTHORITY_KEYS = { 'root-ca': 'addresses.ca.root', acme: 'addresses.ca.acme', none: 'addresses.ca.none' } as const

/** One address: a `tbody` of its own, so its QR code and its error can sit on a row below it. */
function AddressRow({ address, masked, busy, error, flip }: { address: AddressView; masked: boolean; busy: boolean; error: unknown; flip: (a: AddressView) => void }) {
  const [qr, setQr] = useState(false)
  // A masked interface's URL carries a secret in its user part: shown hidden, copied and coded whole.
  const shown = masked ? address.url.replace(/\/\/[^/]*@/, '//••••@') : address.url
  return (
    <tbody class={address.on ? 'address on' : 'address off'}>
      <tr>
        <td class="toggle">
          <input
            type="checkbox"
            role="switch"
            checked={address.on}
            disabled={busy || address.fixed}
            title={address.fixed ? t('addresses.loopback') : undefined}
            aria-label={t('addresses.toggle', { url: shown })}
            onClick={(e) => {
              // The switch shows the database, not the click: the change comes back through it.
              e.preventDefault()
              flip(address)
            }}
          />
        </td>
        <td>{t(address.public ? 'addresses.public' : 'addresses.private')}</td>
        <td>{t(TYPE_KEYS[address.kind])}</td>
        <td class="ca" data-label={t('addresses.col.ca')}>
          {t(AUTHORITY_KEYS[address.authority])}
        </td>
        <td class="url">
          <code>{shown}</code>
        </td>
        <td>
          <div class="address-controls">
            {address.open !== null && (
              <a class="button" href={address.open} target="_blank" rel="noopener noreferrer" aria-label={t('addresses.open', { url: shown })}>
                {t('service.open')}
              </a>
            )}
            <CopyButton text={address.url} label={t('addresses.copy', { url: shown })} />
            <button type="button" aria-expanded={qr} aria-label={t('result.qr', { name: shown })} onClick={() => setQr((q) => !q)}>
              {t('result.show-qr')}
            </button>
          </div>
        </td>
      </tr>
      {error !== null && (
        <tr>
          <td colSpan={6}>
            <ErrorMessage error={error} />
          </td>
        </tr>
      )}
      {qr && (
        <tr>
          <td colSpan={6}>
            <Qr text={address.url} label={t('result.qr', { name: shown })} />
          </td>
        </tr>
      )}
    </tbody>
  )
}
