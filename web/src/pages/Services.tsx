import type { Json, JsonObject } from '../db/json'
import { isObject, member } from '../db/json'
import type { PatchDb } from '../db/patch-db'
import { t, type MessageKey } from '../i18n/catalog'
import { go } from '../app/router'
import { manifestOf, primaryUrl, SEVERITIES, servicePath, str, titleOf } from './service-model'
import { ServiceControls } from './ServiceControls'
import { fraction } from '../rpc/progress'
import { ProgressBar } from '../app/widgets'
import { aggregateHealth, displayedStatus, errorLine } from '../status/status'

/** Every service, live: icon, title, version, status, health, tasks, and start / stop / restart. */
export function Services({ db }: { db: PatchDb }) {
  const packages = db.select<JsonObject>('/packageData').value
  if (packages === undefined) return <p>{t('common.loading')}</p>
  const ids = Object.keys(packages).sort()
  return (
    <section>
      <h1>{t('services.title')}</h1>
      {ids.length === 0 ? (
        <p class="empty">{t('services.none')}</p>
      ) : (
        <ul class="services">
          {ids.map((id) => (
            <ServiceRow key={id} id={id} entry={packages[id]!} />
          ))}
        </ul>
      )}
    </section>
  )
}

function ServiceRow({ id, entry }: { id: string; entry: Json }) {
  const manifest = manifestOf(entry)
  const title = titleOf(entry, id)
  const version = str(member(manifest, 'version')) ?? ''
  const icon = str(member(entry, 'icon'))
  const status = displayedStatus(entry)
  const health = aggregateHealth(entry)
  const failure = errorLine(entry)
  const installing = member(entry, 'stateInfo', 'installingInfo', 'progress')
  const tasks = taskCounts(entry)
  const link = primaryUrl(entry, typeof location === 'undefined' ? '' : location.hostname)

  return (
    <li class="service">
      {icon?.startsWith('data:image/') ? <img class="icon" src={icon} alt="" width={48} height={48} /> : <span class="icon" aria-hidden="true" />}
      <div class="what">
        <h2>
          <a href={servicePath(id)} onClick={(e) => (e.preventDefault(), go(servicePath(id)))}>
            {title}
          </a>
        </h2>
        <span class="version">{version}</span>
        {failure !== '' && <p class="error">{failure}</p>}
        {installing !== undefined && <ProgressBar value={fraction(member(installing, 'overall'))} label={t(`status.${status}` as MessageKey)} />}
      </div>
      <div class="state">
        <span class={`badge status-${status}`}>{t(`status.${status}`)}</span>
        {health !== undefined && <span class={`badge health-${health}`}>{t(`health.${health}`)}</span>}
        {SEVERITIES.filter((s) => tasks[s] > 0).map((s) => (
          <span key={s} class={`badge task-${s}`}>
            {t(`tasks.${s}`, { count: tasks[s] })}
          </span>
        ))}
      </div>
      <ServiceControls id={id} status={status}>
        {status === 'running' && link !== null && (
          <a class="button" href={link} target="_blank" rel="noopener noreferrer" aria-label={t('services.open-ui', { title })}>
            {t('service.open')}
          </a>
        )}
      </ServiceControls>
    </li>
  )
}

function taskCounts(entry: Json): Record<(typeof SEVERITIES)[number], number> {
  const counts = { critical: 0, important: 0, optional: 0 }
  const tasks = member(entry, 'tasks')
  if (!isObject(tasks)) return counts
  for (const task of Object.values(tasks)) {
    const severity = str(member(task, 'task', 'severity'))
    if (member(task, 'active') === true && (severity === 'critical' || severity === 'important' || severity === 'optional')) counts[severity]++
  }
  return counts
}
