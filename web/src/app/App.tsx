import type { PatchDb } from '../db/patch-db'
import { LANGUAGE_NAMES, LANGUAGES, language, t, type Language } from '../i18n/catalog'
import { describe } from '../rpc/errors'
import { Login } from '../pages/Login'
import { Services } from '../pages/Services'
import { dropped } from './dropped'
import { go, path } from './router'
import { logout, mode, saveLanguage } from './session'
import { lazyPage } from './lazy'
import { useEffect } from 'preact/hooks'
import { pendingCount, refreshUpdates } from '../marketplace/updates'
import { isObject, member } from '../db/json'

// Every page but the first screens loads on its first visit.
const Setup = lazyPage(() => import('../pages/Setup').then((m) => m.Setup))
const Diagnostic = lazyPage(() => import('../pages/Diagnostic').then((m) => m.Diagnostic))
const Account = lazyPage(() => import('../pages/Account').then((m) => m.Account))
const Notifications = lazyPage(() => import('../pages/Notifications').then((m) => m.Notifications))
const Service = lazyPage(() => import('../pages/Service').then((m) => m.Service))
const Sideload = lazyPage(() => import('../pages/Sideload').then((m) => m.Sideload))
const System = lazyPage(() => import('../pages/System').then((m) => m.System))
const Marketplace = lazyPage(() => import('../pages/Marketplace').then((m) => m.Marketplace))
const Updates = lazyPage(() => import('../pages/Updates').then((m) => m.Updates))
const InterfaceAddresses = lazyPage(() => import('../pages/Addresses').then((m) => m.InterfaceAddresses))
const ServerAddresses = lazyPage(() => import('../pages/Addresses').then((m) => m.ServerAddresses))

/** The screen the server's state calls for. */
export function App() {
  const m = mode.value
  switch (m.kind) {
    case 'loading':
      return <p class="narrow">{t('common.loading')}</p>
    case 'setup':
      return <Setup />
    case 'diagnostic':
      return <Diagnostic />
    case 'login':
      return <Login />
    case 'unreachable':
      return (
        <p class="narrow error" role="alert">
          {describe(m.error)}
        </p>
      )
    case 'main':
      return <Main db={m.db} />
  }
}

/** The pages there are; a page that does not exist yet is not linked. */
const PAGES = [
  { path: '/', key: 'nav.services' },
  { path: '/marketplace', key: 'nav.marketplace' },
  { path: '/updates', key: 'nav.updates' },
  { path: '/sideload', key: 'nav.sideload' },
  { path: '/notifications', key: 'nav.notifications' },
  { path: '/system', key: 'nav.system' },
  { path: '/account', key: 'nav.account' },
] as const

function Main({ db }: { db: PatchDb }) {
  const name = db.select<string>('/serverInfo/name').value
  const unread = db.select<number>('/serverInfo/unreadNotificationCount').value ?? 0
  const connection = db.connection.value
  // A service's own page (/services/<id>) and the addresses of one of its interfaces
  // (/services/<id>/interfaces/<interfaceId>) sit under Services in the navigation.
  const serviceRoute = /^\/services\/([^/]+)(?:\/interfaces\/([^/]+))?$/.exec(path.value)
  const serviceId = serviceRoute !== null ? decodeURIComponent(serviceRoute[1]!) : null
  const interfaceId = serviceRoute?.[2] !== undefined ? decodeURIComponent(serviceRoute[2]) : null
  // The addresses of the server's own UI sit under System.
  const serverAddresses = path.value === '/system/addresses'
  // A package's page in the Marketplace (/marketplace/<id>) sits under Marketplace.
  const marketId = path.value.startsWith('/marketplace/') ? decodeURIComponent(path.value.slice('/marketplace/'.length)) : null
  const current = marketId !== null ? '/marketplace' : serverAddresses ? '/system' : (PAGES.find((p) => p.path === path.value)?.path ?? '/')
  // The registries are asked for updates when what is installed changes (and at the first screen).
  const packages = db.select('/packageData').value
  const installed = isObject(packages)
    ? Object.keys(packages)
        .sort()
        .map((id) => `${id}@${String(member(packages[id], 'stateInfo', 'manifest', 'version') ?? '')}`)
        .join(' ')
    : null
  useEffect(() => {
    if (installed !== null) refreshUpdates(installed)
  }, [installed])
  const pending = pendingCount.value
  return (
    <>
      <header>
        <strong class="server">{name ?? 'Hearth'}</strong>
        <nav aria-label={t('nav.label')}>
          {PAGES.map((p) => (
            <a
              key={p.path}
              href={p.path}
              aria-current={current === p.path && serviceId === null ? 'page' : undefined}
              onClick={(e) => {
                e.preventDefault()
                go(p.path)
              }}
            >
              {t(p.key)}
              {p.path === '/updates' && pending > 0 && (
                <span class="count" aria-label={t('nav.pending-updates', { count: pending })}>
                  {pending}
                </span>
              )}
              {p.path === '/notifications' && unread > 0 && (
                <span class="count" aria-label={t('nav.unread', { count: unread })}>
                  {unread}
                </span>
              )}
            </a>
          ))}
        </nav>
        <select aria-label={t('nav.language')} value={language.value} onChange={(e) => void saveLanguage(e.currentTarget.value as Language)}>
          {LANGUAGES.map((l) => (
            <option key={l} value={l}>
              {LANGUAGE_NAMES[l]}
            </option>
          ))}
        </select>
        <button type="button" onClick={() => void logout()}>
          {t('nav.logout')}
        </button>
      </header>
      {connection === 'retrying' && (
        <p class="banner" role="status">
          {t('connection.retrying')}
        </p>
      )}
      <main
        onDragOver={(e) => e.preventDefault()}
        onDrop={(e) => {
          // A package dropped anywhere goes to the sideload page, which reads it before anything is sent.
          const file = e.dataTransfer?.files[0]
          if (file === undefined) return
          e.preventDefault()
          dropped.value = file
          go('/sideload')
        }}
      >
        {serviceId !== null && interfaceId !== null ? (
          <InterfaceAddresses key={`${serviceId}/${interfaceId}`} db={db} id={serviceId} interfaceId={interfaceId} />
        ) : serviceId !== null ? (
          <Service key={serviceId} db={db} id={serviceId} />
        ) : serverAddresses ? (
          <ServerAddresses db={db} />
        ) : current === '/marketplace' ? (
          <Marketplace db={db} id={marketId} />
        ) : current === '/updates' ? (
          <Updates db={db} />
        ) : current === '/notifications' ? (
          <Notifications db={db} />
        ) : current === '/account' ? (
          <Account />
        ) : current === '/sideload' ? (
          <Sideload db={db} />
        ) : current === '/system' ? (
          <System db={db} />
        ) : (
          <Services db={db} />
        )}
      </main>
    </>
  )
}
