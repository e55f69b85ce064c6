import { useEffect, useRef, useState } from 'preact/hooks'
import type { Json, JsonObject } from '../db/json'
import { isObject, member } from '../db/json'
import type { PatchDb } from '../db/patch-db'
import { t, type MessageKey } from '../i18n/catalog'
import { rpc } from '../app/session'
import { go } from '../app/router'
import { Confirm } from '../app/Confirm'
import { ErrorMessage, ProgressBar } from '../app/widgets'
import { LogView } from '../app/LogView'
import { CopyButton } from '../app/Copy'
import { Qr } from '../app/Qr'
import { fraction } from '../rpc/progress'
import { aggregateHealth, displayedStatus, errorLine, type DisplayedStatus } from '../status/status'
import { actionMetadata, RunAction, type ActionRequest } from '../actions/RunAction'
import { Instructions } from './Instructions'
import { ServiceControls } from './ServiceControls'
import { allowedNow, allTasksOf, dependencyState, interfacePath, interfaceUrls, manifestOf, SEVERITIES, servicePath, str, tasksFor, titleOf, type Address } from './service-model'

/**
 * One service: its status and controls, the tasks asking something of it, its health checks, its
 * actions, interfaces, dependencies, instructions, container metrics, log, and rebuild / uninstall.
 * Everything but the metrics and the log is read live from the database.
 */
export function Service({ db, id }: { db: PatchDb; id: string }) {
  const packages = db.select<JsonObject>('/packageData').value
  const [running, setRunning] = useState<ActionRequest | null>(null)
  if (packages === undefined) return <p>{t('common.loading')}</p>
  const entry = member(packages, id)
  if (entry === undefined) {
    return (
      <section>
        <h1>{t('service.missing')}</h1>
        <p>
          <a href="/" onClick={(e) => (e.preventDefault(), go('/'))}>
            {t('service.back')}
          </a>
        </p>
      </section>
    )
  }
  const state = str(member(entry, 'stateInfo', 'state'))
  const installed = state === 'installed'
  const open = (packageId: string, actionId: string, prefill: Json | undefined) => {
    const target = member(packages, packageId)
    const metadata = actionMetadata(target, actionId)
    if (metadata !== null) setRunning({ packageId, actionId, title: titleOf(target, packageId), metadata, prefill })
  }
  return (
    <section class="service-page">
      <Heading id={id} entry={entry} />
      <Tasks id={id} packages={packages} open={open} />
      {installed && <Health entry={entry} />}
      {installed && <Actions id={id} entry={entry} open={open} />}
      {installed && <Interfaces id={id} entry={entry} />}
      {installed && <Dependencies id={id} entry={entry} packages={packages} open={open} />}
      {installed && <Instructions id={id} />}
      {installed && <Metrics id={id} />}
      {installed && (
        <>
          <h2>{t('service.logs')}</h2>
          <LogView method="package.logs" params={{ id }} label={t('service.logs')} file={`${id}.log`} />
        </>
      )}
      {(installed || state === 'removing') && <Manage id={id} title={titleOf(entry, id)} removing={state === 'removing'} />}
      {running !== null && <RunAction key={`${running.packageId}/${running.actionId}`} request={running} onClose={() => setRunning(null)} />}
    </section>
  )
}

function Heading({ id, entry }: { id: string; entry: Json }) {
  const manifest = manifestOf(entry)
  const icon = str(member(entry, 'icon'))
  const status = displayedStatus(entry)
  const health = aggregateHealth(entry)
  const failure = errorLine(entry)
  const installing = member(entry, 'stateInfo', 'installingInfo', 'progress')
  return (
    <div class="service-heading">
      {icon?.startsWith('data:image/') ? <img class="icon" src={icon} alt="" width={64} height={64} /> : <span class="icon" aria-hidden="true" />}
      <div class="what">
        <h1>{titleOf(entry, id)}</h1>
        <span class="version">{str(member(manifest, 'version')) ?? ''}</span>
        <div class="state">
          <span class={`badge status-${status}`}>{t(`status.${status}`)}</span>
          {health !== undefined && <span class={`badge health-${health}`}>{t(`health.${health}`)}</span>}
        </div>
        {failure !== '' && <p class="error">{failure}</p>}
        {installing !== undefined && <ProgressBar value={fraction(member(installing, 'overall'))} label={t(`status.${status}` as MessageKey)} />}
      </div>
      <ServiceControls id={id} status={status} />
    </div>
  )
}

function Tasks({ id, packages, open }: { id: string; packages: JsonObject; open: (p: string, a: string, prefill: Json | undefined) => void }) {
  const tasks = tasksFor(packages, id)
  if (tasks.length === 0) return null
  return (
    <>
      <h2>{t('service.tasks')}</h2>
      <ul class="tasks">
        {tasks.map((task) => {
          const action = actionMetadata(member(packages, id), task.actionId)
          return (
            <li key={`${task.requester}/${task.replayId}`} class={`task task-${task.severity}`}>
              <span class={`badge task-${task.severity}`}>{t(`tasks.severity.${task.severity}`)}</span>
              <span class="what">
                {task.reason ?? action?.name ?? task.actionId}
                {task.requester !== id && <span class="hint">{t('service.task-from', { title: titleOf(member(packages, task.requester), task.requester) })}</span>}
              </span>
              <button type="button" disabled={action === null} onClick={() => open(id, task.actionId, task.prefill)}>
                {action?.name ?? task.actionId}
              </button>
            </li>
          )
        })}
      </ul>
    </>
  )
}

const HEALTH_RESULTS = ['success', 'disabled', 'starting', 'waiting', 'loading', 'failure'] as const

function Health({ entry }: { entry: Json }) {
  const health = member(entry, 'statusInfo', 'health')
  const checks = isObject(health) ? Object.entries(health) : []
  if (checks.length === 0) return null
  return (
    <>
      <h2>{t('service.health')}</h2>
      <ul class="checks">
        {checks.map(([checkId, check]) => {
          const result = str(member(check, 'result'))
          const known = HEALTH_RESULTS.find((r) => r === result)
          const message = str(member(check, 'message'))
          return (
            <li key={checkId}>
              <span class={`badge check-${known ?? 'unknown'}`}>{known !== undefined ? t(`check.${known}`) : (result ?? '?')}</span>
              <strong>{str(member(check, 'name')) ?? checkId}</strong>
              {message !== null && message !== '' && <span class="hint">{message}</span>}
            </li>
          )
        })}
      </ul>
    </>
  )
}

function Actions({ id, entry, open }: { id: string; entry: Json; open: (p: string, a: string, prefill: Json | undefined) => void }) {
  const actions = member(entry, 'actions')
  const status = displayedStatus(entry)
  const shown = (isObject(actions) ? Object.entries(actions) : []).filter(([, a]) => member(a, 'visibility') !== 'hidden' && typeof member(a, 'name') === 'string')
  if (shown.length === 0) return null
  const groups = new Map<string, [string, Json][]>()
  for (const item of shown) {
    const group = str(member(item[1], 'group')) ?? ''
    groups.set(group, [...(groups.get(group) ?? []), item])
  }
  return (
    <>
      <h2>{t('service.actions')}</h2>
      {[...groups.entries()].map(([group, items]) => (
        <div key={group} class="action-group">
          {group !== '' && <h3>{group}</h3>}
          <ul class="action-list">
            {items.map(([actionId, a]) => {
              const disabledReason = str(member(a, 'visibility', 'disabled'))
              const allowed = allowedNow(member(a, 'allowedStatuses'), status)
              return (
                <li key={actionId}>
                  <button type="button" disabled={disabledReason !== null || !allowed} onClick={() => open(id, actionId, undefined)}>
                    {str(member(a, 'name'))}
                  </button>
                  <span class="hint">
                    {str(member(a, 'description')) ?? ''}
                    {disabledReason !== null ? ` — ${disabledReason}` : !allowed ? ` — ${t(member(a, 'allowedStatuses') === 'only-stopped' ? 'action.only-stopped' : 'action.only-running')}` : ''}
                  </span>
                </li>
              )
            })}
          </ul>
        </div>
      ))}
    </>
  )
}

function Interfaces({ id, entry }: { id: string; entry: Json }) {
  const hosts = member(entry, 'hosts')
  const rows: { key: string; interfaceId: string; name: string; description: string; type: string; masked: boolean; urls: Address[] }[] = []
  for (const [hostId, host] of isObject(hosts) ? Object.entries(hosts) : []) {
    const bindings = member(host, 'bindings')
    for (const [port, binding] of isObject(bindings) ? Object.entries(bindings) : []) {
      const interfaces = member(binding, 'interfaces')
      for (const [interfaceId, iface] of isObject(interfaces) ? Object.entries(interfaces) : []) {
        rows.push({
          key: `${hostId}/${port}/${interfaceId}`,
          interfaceId,
          name: str(member(iface, 'name')) ?? interfaceId,
          description: str(member(iface, 'description')) ?? '',
          type: str(member(iface, 'type')) ?? '',
          masked: member(iface, 'masked') === true,
          urls: interfaceUrls(binding, member(iface, 'addressInfo') ?? null),
        })
      }
    }
  }
  if (rows.length === 0) return null
  return (
    <>
      <h2>{t('service.interfaces')}</h2>
      {rows.map((row) => (
        <div key={row.key} class="interface">
          <h3>
            {row.name} {row.type !== '' && <span class="badge">{row.type.toUpperCase()}</span>}
          </h3>
          {row.description !== '' && <p class="hint">{row.description}</p>}
          <p class="hint">
            <a href={interfacePath(id, row.interfaceId)} onClick={(e) => (e.preventDefault(), go(interfacePath(id, row.interfaceId)))}>
              {t('addresses.manage', { name: row.name })}
            </a>
          </p>
          {row.urls.length === 0 ? (
            <p class="hint">{t('service.no-addresses')}</p>
          ) : (
            <ul class="addresses">
              {row.urls.map((a) => (
                <AddressRow key={a.url} address={a} masked={row.masked} type={row.type} name={row.name} />
              ))}
            </ul>
          )}
        </div>
      ))}
    </>
  )
}

function AddressRow({ address, masked, type, name }: { address: Address; masked: boolean; type: string; name: string }) {
  const [qr, setQr] = useState(false)
  return (
    <li>
      <code>{masked ? address.url.replace(/\/\/[^/]*@/, '//••••@') : address.url}</code>
      <span class="address-controls">
        {type === 'ui' && address.open && (
          <a class="button" href={address.url} target="_blank" rel="noopener noreferrer">
            {t('service.open')}
          </a>
        )}
        <CopyButton text={address.url} label={t('service.copy-address', { name })} />
        <button type="button" aria-pressed={qr} onClick={() => setQr((q) => !q)}>
          {qr ? t('result.hide-qr') : t('result.show-qr')}
        </button>
      </span>
      {qr && <Qr text={address.url} label={t('result.qr', { name })} />}
    </li>
  )
}

function Dependencies({ id, entry, packages, open }: { id: string; entry: Json; packages: JsonObject; open: (p: string, a: string, prefill: Json | undefined) => void }) {
  const deps = member(entry, 'currentDependencies')
  const list = isObject(deps) ? Object.entries(deps) : []
  if (list.length === 0) return null
  const ownTasks = allTasksOf(packages, id)
  return (
    <>
      <h2>{t('service.dependencies')}</h2>
      <ul class="dependencies">
        {list.map(([depId, dep]) => {
          const target = member(packages, depId)
          const state = dependencyState(dep, target, packages, depId)
          const fix = ownTasks.find((task) => task.target === depId)
          const icon = str(member(dep, 'icon'))
          return (
            <li key={depId}>
              {icon?.startsWith('data:image/') ? <img class="icon" src={icon} alt="" width={32} height={32} /> : <span class="icon small" aria-hidden="true" />}
              <span class="what">
                {target !== undefined ? (
                  <a href={servicePath(depId)} onClick={(e) => (e.preventDefault(), go(servicePath(depId)))}>
                    {str(member(dep, 'title')) ?? depId}
                  </a>
                ) : (
                  <strong>{str(member(dep, 'title')) ?? depId}</strong>
                )}
                <span class="hint">
                  {t('service.dependency-range', { range: str(member(dep, 'versionRange')) ?? '*' })}
                  {target !== undefined && ` · ${t('service.dependency-installed', { version: str(member(manifestOf(target), 'version')) ?? '' })}`}
                </span>
              </span>
              <span class={`badge dependency-${state}`}>{t(`dependency.${state}`)}</span>
              {fix !== undefined && (
                <button type="button" onClick={() => open(fix.target, fix.actionId, fix.prefill)}>
                  {actionMetadata(target, fix.actionId)?.name ?? fix.actionId}
                </button>
              )}
            </li>
          )
        })}
      </ul>
    </>
  )
}

type Stats = { container_id: string; memory_usage: number; memory_limit: number } | null

function Metrics({ id }: { id: string }) {
  const [stats, setStats] = useState<Stats | undefined>(undefined)
  const [error, setError] = useState<unknown>(null)
  const load = () =>
    rpc.call<Record<string, Stats>>('package.stats', {}).then((all) => {
      setStats(member(all as JsonObject, id) as Stats | undefined)
      setError(null)
    }, setError)
  useEffect(() => void load(), [id])
  return (
    <>
      <h2>{t('service.metrics')}</h2>
      <ErrorMessage error={error} />
      {stats === undefined ? null : stats === null ? (
        <p class="hint">{t('service.metrics-none')}</p>
      ) : (
        <div class="meter">
          <span>{t('system.memory')}</span>
          <strong>{t('service.memory', { used: stats.memory_usage.toFixed(1), limit: stats.memory_limit.toFixed(0) })}</strong>
          <meter min={0} max={stats.memory_limit} value={stats.memory_usage} aria-label={t('system.memory')} />
        </div>
      )}
      <button type="button" onClick={() => void load()}>
        {t('service.metrics-refresh')}
      </button>
    </>
  )
}

function Manage({ id, title, removing }: { id: string; title: string; removing: boolean }) {
  const [asking, setAsking] = useState(false)
  const [keepData, setKeepData] = useState(false)
  const [error, setError] = useState<unknown>(null)
  const [busy, setBusy] = useState(false)
  const call = async (method: string, params: JsonObject, after?: () => void) => {
    setBusy(true)
    setError(null)
    try {
      await rpc.call(method, params)
      after?.()
    } catch (e) {
      setError(e)
    } finally {
      setBusy(false)
    }
  }
  return (
    <>
      <h2>{t('service.manage')}</h2>
      <ErrorMessage error={error} />
      {removing && <p role="status">{t('status.removing')}</p>}
      <div class="log-controls">
        <button type="button" disabled={busy || removing} onClick={() => void call('package.rebuild', { id })}>
          {t('service.rebuild')}
        </button>
        <button type="button" class="danger" disabled={busy || removing} onClick={() => setAsking(true)}>
          {t('service.uninstall')}
        </button>
      </div>
      <Confirm
        open={asking}
        id="uninstall-question"
        title={t('service.uninstall.title', { title })}
        confirm={t('service.uninstall')}
        danger
        onConfirm={() => {
          setAsking(false)
          void call('package.uninstall', { id, soft: keepData }, () => go('/'))
        }}
        onCancel={() => setAsking(false)}
      >
        <p class="warning">{t(keepData ? 'service.uninstall.soft' : 'service.uninstall.warning')}</p>
        <label class="choice">
          <input type="checkbox" checked={keepData} onChange={(e) => setKeepData(e.currentTarget.checked)} />
          {t('service.uninstall.keep')}
        </label>
      </Confirm>
    </>
  )
}
