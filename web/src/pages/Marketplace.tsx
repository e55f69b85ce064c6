import { Fragment } from 'preact'
import { useEffect, useState } from 'preact/hooks'
import type { Json, JsonObject } from '../db/json'
import { isObject, member } from '../db/json'
import type { PatchDb } from '../db/patch-db'
import { formatPointer } from '../db/pointer'
import { language, t } from '../i18n/catalog'
import { rpc } from '../app/session'
import { go } from '../app/router'
import { Confirm } from '../app/Confirm'
import { Registries } from '../marketplace/Registries'
import { ErrorMessage, ProgressBar } from '../app/widgets'
import { fraction } from '../rpc/progress'
import { servicePath } from './service-model'
import {
  actionOf,
  cards,
  chosenRegistry,
  currentRegistry,
  dependenciesOf,
  filterCards,
  flavorOf,
  localized,
  marketplacePath,
  proxyPath,
  registryName,
  safeIcon,
  safeLink,
  sortVersions,
  versionsOf,
  type Action,
  type Card,
  type Dependency,
} from '../marketplace/model'

/**
 * The Marketplace: the registries this server browses (switch, add, remove), what the chosen one
 * offers by category and search, and a package's page with its versions and what installing each
 * does. `id` is the package shown, or null for the list.
 */
export function Marketplace({ db, id }: { db: PatchDb; id: string | null }) {
  const registries = db.select('/marketplace/registries').value
  const url = currentRegistry(registries, chosenRegistry.value)
  return (
    <section>
      <h1>{t('marketplace.title')}</h1>
      <Registries registries={registries} current={url} />
      {url === null ? (
        <p class="empty">{t('marketplace.no-registry')}</p>
      ) : id === null ? (
        <Catalog key={url} db={db} url={url} />
      ) : (
        <PackagePage key={`${url} ${id}`} db={db} url={url} registries={registries} id={id} />
      )}
    </section>
  )
}

// ---- what a registry offers ----

type Loaded<T> = { kind: 'loading' } | { kind: 'failed'; error: unknown } | { kind: 'ready'; value: T }

function useCall<T>(method: string, params: object, key: string): Loaded<T> {
  const [state, setState] = useState<Loaded<T>>({ kind: 'loading' })
  useEffect(() => {
    let live = true
    rpc.call<T>(method, params).then(
      (value) => live && setState({ kind: 'ready', value }),
      (error) => live && setState({ kind: 'failed', error }),
    )
    return () => {
      live = false
    }
  }, [key])
  return state
}

function Catalog({ db, url }: { db: PatchDb; url: string }) {
  const lang = language.value
  const info = useCall<Json>('registry.info', { registry: url }, url)
  const all = useCall<Json>('registry.package.get', { registry: url, otherVersions: 'none' }, url)
  const [category, setCategory] = useState<string | null>(null)
  const [query, setQuery] = useState('')
  if (all.kind === 'failed') return <ErrorMessage error={all.error} />
  if (all.kind === 'loading') return <p>{t('common.loading')}</p>
  const everything = cards(all.value, lang)
  const categories = info.kind === 'ready' ? member(info.value, 'categories') : undefined
  const shown = filterCards(everything, category, query, lang)
  return (
    <>
      <div class="market-filters">
        <div class="categories" role="group" aria-label={t('marketplace.categories')}>
          <button type="button" aria-pressed={category === null} onClick={() => setCategory(null)}>
            {t('marketplace.all')}
          </button>
          {isObject(categories) &&
            Object.entries(categories).map(([c, v]) => (
              <button key={c} type="button" aria-pressed={category === c} onClick={() => setCategory(category === c ? null : c)}>
                {localized(member(v, 'name'), lang) || c}
              </button>
            ))}
        </div>
        <label for="market-search">{t('marketplace.search')}</label>
        <input id="market-search" type="search" value={query} onInput={(e) => setQuery(e.currentTarget.value)} />
      </div>
      {shown.length === 0 ? (
        <p class="empty">{everything.length === 0 ? t('marketplace.empty') : t('marketplace.none-found')}</p>
      ) : (
        <ul class="market">
          {shown.map((c) => (
            <PackageCard key={c.id} db={db} card={c} />
          ))}
        </ul>
      )}
    </>
  )
}

function installedVersion(db: PatchDb, id: string): string | null {
  const v = db.select(formatPointer(['packageData', id, 'stateInfo', 'manifest', 'version'])).value
  return typeof v === 'string' ? v : null
}

function PackageCard({ db, card }: { db: PatchDb; card: Card }) {
  const lang = language.value
  const title = localized(card.best.info['title'], lang) || card.id
  const icon = safeIcon(card.best.info['icon'])
  const installed = installedVersion(db, card.id)
  return (
    <li class="market-card">
      {icon !== null ? <img class="icon" src={icon} alt="" width={48} height={48} /> : <span class="icon" aria-hidden="true" />}
      <div>
        <h2>
          <a href={marketplacePath(card.id)} onClick={(e) => (e.preventDefault(), go(marketplacePath(card.id)))}>
            {title}
          </a>
        </h2>
        <p class="hint">{localized(member(card.best.info, 'description', 'short'), lang)}</p>
        <p class="hint">
          <span class="version">{card.best.version}</span>
          {installed !== null && <span class="badge">{t('marketplace.installed', { version: installed })}</span>}
        </p>
        <InstallProgress db={db} id={card.id} />
      </div>
    </li>
  )
}

/** A registry install under way: the download, then the install itself. */
function InstallProgress({ db, id }: { db: PatchDb; id: string }) {
  const pending = db.select(formatPointer(['marketplace', 'installs', id])).value
  const installing = db.select(formatPointer(['packageData', id, 'stateInfo', 'installingInfo', 'progress'])).value
  if (pending !== undefined) {
    const version = member(pending, 'version')
    return <ProgressBar value={fraction(member(pending, 'progress', 'overall'))} label={t('marketplace.downloading', { version: typeof version === 'string' ? version : '' })} />
  }
  if (installing !== undefined) return <ProgressBar value={fraction(member(installing, 'overall'))} label={t('sideload.installing')} />
  return null
}

// ---- one package ----

/** The package's licence file, read through the server from the registry when it is opened. */
function LicenseText({ info }: { info: JsonObject }) {
  const [text, setText] = useState<string | null>(null)
  const [error, setError] = useState<unknown>(null)
  const href = proxyPath(info, 'LICENSE.md')
  if (href === null) return null
  const load = () => {
    if (text !== null) return
    fetch(href).then(
      async (r) => (r.ok ? setText(await r.text()) : setError(new Error(t('marketplace.license-failed', { status: r.status })))),
      (e) => setError(e),
    )
  }
  return (
    <details class="license" onToggle={(e) => e.currentTarget.open && load()}>
      <summary>{t('marketplace.license-text')}</summary>
      {text !== null ? <pre class="license-text">{text}</pre> : error !== null ? <ErrorMessage error={error} /> : <p>{t('common.loading')}</p>}
    </details>
  )
}

type View = { listing: Json; installed: string | null; installedFrom: string | null; actions: Json }

type Question = { version: string; action: Action; missing: Dependency[] }

function PackagePage({ db, url, registries, id }: { db: PatchDb; url: string; registries: Json | undefined; id: string }) {
  const lang = language.value
  const installed = installedVersion(db, id)
  const packages = db.select<JsonObject>('/packageData').value
  const view = useCall<View>('marketplace.package', { registry: url, id }, `${installed}`)
  const [chosen, setChosen] = useState<string | null>(null)
  const [question, setQuestion] = useState<Question | null>(null)
  const [withDeps, setWithDeps] = useState(true)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<unknown>(null)

  const back = (
    <p>
      <a href="/marketplace" onClick={(e) => (e.preventDefault(), go('/marketplace'))}>
        {t('marketplace.back')}
      </a>
    </p>
  )
  if (view.kind === 'failed')
    return (
      <>
        {back}
        <ErrorMessage error={view.error} />
      </>
    )
  if (view.kind === 'loading') return <p>{t('common.loading')}</p>
  const versions = versionsOf(view.value.listing)
  if (versions.length === 0)
    return (
      <>
        {back}
        <p class="empty">{t('marketplace.no-versions', { id })}</p>
      </>
    )
  const installedFlavor = installed === null ? null : flavorOf(installed)
  const fallback = versions.find((v) => installed !== null && flavorOf(v.version) === installedFlavor) ?? versions[0]!
  const selected = versions.find((v) => v.version === chosen) ?? fallback
  const info = selected.info
  const title = localized(info['title'], lang) || id
  const icon = safeIcon(info['icon'])
  const action = actionOf(view.value.actions, selected.version)
  const from = view.value.installedFrom
  const otherRegistry = installed !== null && from !== url
  const missing = dependenciesOf(info, lang).filter((d) => !d.optional && !(isObject(packages) && packages[d.id] !== undefined))
  const pending = db.select(formatPointer(['marketplace', 'installs', id])).value

  const install = async (q: Question, alsoDeps: boolean) => {
    setQuestion(null)
    setBusy(true)
    setError(null)
    try {
      if (alsoDeps) {
        for (const d of q.missing) {
          const got = await rpc.call<Json>('registry.package.get', { registry: url, id: d.id, otherVersions: 'none' })
          const best = member(got, 'best')
          const version = isObject(best) ? sortVersions(Object.keys(best))[0] : undefined
          if (version === undefined) throw new Error(t('marketplace.dependency-absent', { title: d.title }))
          await rpc.call('package.install', { registry: url, id: d.id, version })
        }
      }
      await rpc.call('package.install', { registry: url, id, version: q.version, switchFlavor: q.action === 'switchFlavor' })
    } catch (e) {
      setError(e)
    } finally {
      setBusy(false)
    }
  }
  const ask = () => {
    const q = { version: selected.version, action, missing }
    if (action === 'switchFlavor' || otherRegistry || missing.length > 0) setQuestion(q)
    else void install(q, false)
  }

  const links: [string, Json | undefined][] = [
    ['marketplace.link.package', info['packageRepo']],
    ['marketplace.link.upstream', info['upstreamRepo']],
    ['marketplace.link.website', info['marketingUrl']],
    ['marketplace.link.donate', info['donationUrl']],
  ]
  return (
    <>
      {back}
      <div class="package-summary">
        {icon !== null ? <img class="icon" src={icon} alt="" width={64} height={64} /> : <span class="icon" aria-hidden="true" />}
        <div>
          <h2 class="package-title">{title}</h2>
          <p class="hint">{localized(member(info, 'description', 'short'), lang)}</p>
          {installed !== null && (
            <p>
              {t('marketplace.installed-from', {
                version: installed,
                from: from === null ? t('marketplace.sideloaded') : registryName(registries, from),
              })}{' '}
              <a href={servicePath(id)} onClick={(e) => (e.preventDefault(), go(servicePath(id)))}>
                {t('services.open', { title })}
              </a>
            </p>
          )}
        </div>
      </div>
      <div class="install-row">
        <div>
          <label for="package-version">{t('marketplace.version')}</label>
          <select id="package-version" value={selected.version} onChange={(e) => setChosen(e.currentTarget.value)}>
            {versions.map((v) => (
              <option key={v.version} value={v.version}>
                {v.version} — {t(`marketplace.action.${actionOf(view.value.actions, v.version)}`)}
              </option>
            ))}
          </select>
        </div>
        <button type="button" disabled={busy || pending !== undefined} onClick={ask}>
          {t(`marketplace.do.${action}`)}
        </button>
      </div>
      <ErrorMessage error={error} />
      <InstallProgress db={db} id={id} />
      {otherRegistry && <p class="warning">{t('marketplace.other-registry', { from: from === null ? t('marketplace.sideloaded') : registryName(registries, from) })}</p>}
      <h2>{t('marketplace.release-notes', { version: selected.version })}</h2>
      <p class="prose">{localized(info['releaseNotes'], lang) || '—'}</p>
      <h2>{t('marketplace.description')}</h2>
      <p class="prose">{localized(member(info, 'description', 'long'), lang)}</p>
      <h2>{t('service.dependencies')}</h2>
      {dependenciesOf(info, lang).length === 0 ? (
        <p class="hint">{t('marketplace.no-dependencies')}</p>
      ) : (
        <ul class="dependency-list">
          {dependenciesOf(info, lang).map((d) => (
            <li key={d.id}>
              <a href={marketplacePath(d.id)} onClick={(e) => (e.preventDefault(), go(marketplacePath(d.id)))}>
                {d.title}
              </a>{' '}
              <span class="badge">{t(d.optional ? 'marketplace.optional' : 'marketplace.required')}</span>{' '}
              {isObject(packages) && packages[d.id] !== undefined ? t('marketplace.dependency-installed') : t('dependency.not-installed')}
            </li>
          ))}
        </ul>
      )}
      <h2>{t('marketplace.about')}</h2>
      <dl class="facts">
        <dt>{t('marketplace.license')}</dt>
        <dd>{typeof info['license'] === 'string' ? info['license'] : '—'}</dd>
        <dt>{t('marketplace.os-version')}</dt>
        <dd>{typeof info['osVersion'] === 'string' ? info['osVersion'] : '—'}</dd>
        {links.map(([key, v]) => {
          const href = safeLink(v)
          return (
            href !== null && (
              <Fragment key={key}>
                <dt>{t(key as 'marketplace.link.package')}</dt>
                <dd>
                  <a href={href} target="_blank" rel="noopener noreferrer">
                    {href}
                  </a>
                </dd>
              </Fragment>
            )
          )
        })}
      </dl>
      <LicenseText key={selected.version} info={info} />
      <Confirm
        open={question !== null}
        id="install-question"
        title={t(`marketplace.question.${question?.action ?? 'install'}`, { title, version: question?.version ?? '' })}
        confirm={t(`marketplace.do.${question?.action ?? 'install'}`)}
        onConfirm={() => question !== null && void install(question, withDeps)}
        onCancel={() => setQuestion(null)}
      >
        {question?.action === 'switchFlavor' && <p class="warning">{t('marketplace.switch-warning', { installed: installed ?? '', version: question.version })}</p>}
        {otherRegistry && <p class="warning">{t('marketplace.other-registry', { from: from === null ? t('marketplace.sideloaded') : registryName(registries, from) })}</p>}
        {question !== null && question.missing.length > 0 && (
          <>
            <p>{t('marketplace.dependencies-missing', { titles: question.missing.map((d) => d.title).join(', ') })}</p>
            <label class="choice">
              <input type="checkbox" checked={withDeps} onChange={(e) => setWithDeps(e.currentTarget.checked)} />
              {t('marketplace.dependencies-install')}
            </label>
          </>
        )}
      </Confirm>
    </>
  )
}
