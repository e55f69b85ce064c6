import { useState } from 'preact/hooks'
import type { Json } from '../db/json'
import { isObject, member } from '../db/json'
import type { PatchDb } from '../db/patch-db'
import { formatPointer } from '../db/pointer'
import { language, t } from '../i18n/catalog'
import { rpc } from '../app/session'
import { go } from '../app/router'
import { Confirm } from '../app/Confirm'
import { ErrorMessage, ProgressBar } from '../app/widgets'
import { fraction } from '../rpc/progress'
import { localized, marketplacePath, registryName, safeIcon } from '../marketplace/model'
import { refreshUpdates, updates } from '../marketplace/updates'

/**
 * Updates: for every registry, the installed packages it has a newer version of (same flavor), with
 * the release notes and an Update button; updating from another registry than the one a package
 * came from asks first.
 */
export function Updates({ db }: { db: PatchDb }) {
  const { answer, error, asking } = updates.value
  const registries = db.select('/marketplace/registries').value
  return (
    <section>
      <h1>{t('updates.title')}</h1>
      <button type="button" class="small" disabled={asking} onClick={() => refreshUpdates('', true)}>
        {asking ? t('updates.asking') : t('updates.refresh')}
      </button>
      <ErrorMessage error={error} />
      {answer === null ? (
        asking && <p>{t('common.loading')}</p>
      ) : !isObject(answer) || Object.keys(answer).length === 0 ? (
        <p class="empty">{t('marketplace.no-registry')}</p>
      ) : (
        Object.entries(answer).map(([url, r]) => <RegistryUpdates key={url} db={db} url={url} name={registryName(registries, url)} r={r} registries={registries} />)
      )}
    </section>
  )
}

function RegistryUpdates({ db, url, name, r, registries }: { db: PatchDb; url: string; name: string; r: Json; registries: Json | undefined }) {
  const packages = member(r, 'packages')
  const ids = isObject(packages) ? Object.keys(packages).sort() : []
  const failure = member(r, 'error')
  return (
    <details class="updates" open>
      <summary>
        {name} <span class="count-inline">{t('updates.count', { count: ids.length })}</span>
      </summary>
      {typeof failure === 'string' && (
        <p class="error" role="alert">
          {t('updates.registry-failed', { why: failure })}
        </p>
      )}
      {ids.length === 0 && typeof failure !== 'string' && <p class="hint">{t('updates.none')}</p>}
      <ul class="update-list">
        {ids.map((id) => (
          <UpdateRow key={id} db={db} url={url} id={id} u={(packages as Record<string, Json>)[id]!} registries={registries} />
        ))}
      </ul>
    </details>
  )
}

function UpdateRow({ db, url, id, u, registries }: { db: PatchDb; url: string; id: string; u: Json; registries: Json | undefined }) {
  const lang = language.value
  const [asking, setAsking] = useState(false)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<unknown>(null)
  const str = (k: string) => {
    const v = member(u, k)
    return typeof v === 'string' ? v : ''
  }
  const version = str('version')
  const title = str('title') || id
  const icon = safeIcon(member(u, 'icon'))
  const from = member(u, 'installedFrom')
  const otherRegistry = from !== url
  const pending = db.select(formatPointer(['marketplace', 'installs', id])).value
  const installing = db.select(formatPointer(['packageData', id, 'stateInfo', 'installingInfo', 'progress'])).value
  const update = async () => {
    setAsking(false)
    setBusy(true)
    setError(null)
    try {
      await rpc.call('package.install', { registry: url, id, version })
    } catch (e) {
      setError(e)
    } finally {
      setBusy(false)
    }
  }
  const fromName = typeof from === 'string' ? registryName(registries, from) : t('marketplace.sideloaded')
  return (
    <li class="update">
      {icon !== null ? <img class="icon" src={icon} alt="" width={48} height={48} /> : <span class="icon" aria-hidden="true" />}
      <div>
        <h2>
          <a href={marketplacePath(id)} onClick={(e) => (e.preventDefault(), go(marketplacePath(id)))}>
            {title}
          </a>
        </h2>
        <p class="hint">{t('updates.from-to', { installed: str('installed'), version })}</p>
        <p class="prose">{localized(member(u, 'releaseNotes'), lang)}</p>
        {otherRegistry && <p class="warning">{t('marketplace.other-registry', { from: fromName })}</p>}
        <ErrorMessage error={error} />
        {pending !== undefined && <ProgressBar value={fraction(member(pending, 'progress', 'overall'))} label={t('marketplace.downloading', { version })} />}
        {pending === undefined && installing !== undefined && <ProgressBar value={fraction(member(installing, 'overall'))} label={t('sideload.installing')} />}
      </div>
      <button type="button" disabled={busy || pending !== undefined || installing !== undefined} onClick={() => (otherRegistry ? setAsking(true) : void update())}>
        {t('marketplace.do.update')}
      </button>
      <Confirm open={asking} id={`update-${id}`} title={t('marketplace.question.update', { title, version })} confirm={t('marketplace.do.update')} onConfirm={() => void update()} onCancel={() => setAsking(false)}>
        <p class="warning">{t('marketplace.other-registry', { from: fromName })}</p>
      </Confirm>
    </li>
  )
}
