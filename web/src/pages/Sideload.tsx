import { useEffect, useState } from 'preact/hooks'
import type { PatchDb } from '../db/patch-db'
import { member } from '../db/json'
import { formatPointer } from '../db/pointer'
import { t } from '../i18n/catalog'
import { describe } from '../rpc/errors'
import { rpc } from '../app/session'
import { go } from '../app/router'
import { dropped } from '../app/dropped'
import { servicePath } from './service-model'
import { overall, type Progress } from '../rpc/progress'
import { ProgressBar } from '../app/widgets'
import { followProgress } from '../rpc/continuation'
import { installKind, type InstallKind } from '../sideload/exver'
import { readSummary, S9pkError, type PackageSummary } from '../sideload/s9pk'


type Stage =
  | { kind: 'empty' }
  | { kind: 'reading'; file: File }
  | { kind: 'ready'; file: File; summary: PackageSummary }
  | { kind: 'uploading'; file: File; summary: PackageSummary; sent: number }
  | { kind: 'installing'; summary: PackageSummary; progress: Progress | null }
  | { kind: 'done'; summary: PackageSummary }

/**
 * Sideloading a package: the file is read here first (its title, version and icon, and whether it
 * installs, updates or downgrades), then sent with a progress bar, then installed with the daemon's
 * progress. Nothing is sent before the person says so.
 */
export function Sideload({ db }: { db: PatchDb }) {
  const [stage, setStage] = useState<Stage>({ kind: 'empty' })
  const [error, setError] = useState<unknown>(null)

  const take = (file: File) => {
    setError(null)
    setStage({ kind: 'reading', file })
    readSummary(file).then(
      (summary) => setStage({ kind: 'ready', file, summary }),
      (e) => {
        setError(e)
        setStage({ kind: 'empty' })
      },
    )
  }

  const file = dropped.value
  useEffect(() => {
    if (file !== null) {
      dropped.value = null
      take(file)
    }
  }, [file])

  const installed = (id: string): string | null => {
    const entry = db.select(formatPointer(['packageData', id])).value
    const version = member(entry, 'stateInfo', 'manifest', 'version')
    return typeof version === 'string' ? version : null
  }

  const install = async (file: File, summary: PackageSummary) => {
    setError(null)
    setStage({ kind: 'uploading', file, summary, sent: 0 })
    try {
      const { upload, progress } = await rpc.call<{ upload: string; progress: string }>('package.sideload', {})
      // Follow the install's progress from the start; the upload is its first phase.
      const install = followProgress(progress, (p) => setStage({ kind: 'installing', summary, progress: p }))
      try {
        await send(upload, file, (sent) => setStage({ kind: 'uploading', file, summary, sent }))
      } catch (e) {
        install.stop()
        throw e
      }
      setStage({ kind: 'installing', summary, progress: null })
      await install.done
      setStage({ kind: 'done', summary })
    } catch (e) {
      setError(e)
      setStage({ kind: 'ready', file, summary })
    }
  }

  return (
    <section>
      <h1>{t('sideload.title')}</h1>
      {error !== null && (
        <p class="error" role="alert">
          {error instanceof S9pkError ? t('sideload.unreadable', { why: error.message }) : describe(error)}
        </p>
      )}
      {(stage.kind === 'empty' || stage.kind === 'ready') && (
        <div class="drop">
          <p>{t('sideload.drop')}</p>
          <label class="button" for="package-file">
            {t('sideload.pick')}
          </label>
          <input
            id="package-file"
            class="visually-hidden"
            type="file"
            accept=".s9pk"
            onChange={(e) => {
              const f = e.currentTarget.files?.[0]
              if (f) take(f)
              e.currentTarget.value = ''
            }}
          />
        </div>
      )}
      {stage.kind === 'reading' && <p>{t('common.loading')}</p>}
      {(stage.kind === 'ready' || stage.kind === 'uploading' || stage.kind === 'installing' || stage.kind === 'done') && (
        <Summary summary={stage.summary} kind={installKind(stage.summary.version, installed(stage.summary.id))} installed={installed(stage.summary.id)} />
      )}
      {stage.kind === 'ready' && (
        <button type="button" onClick={() => void install(stage.file, stage.summary)}>
          {t(`sideload.do.${installKind(stage.summary.version, installed(stage.summary.id))}`)}
        </button>
      )}
      {stage.kind === 'uploading' && <ProgressBar value={stage.file.size === 0 ? null : stage.sent / stage.file.size} label={t('sideload.uploading')} />}
      {stage.kind === 'installing' && (
        <>
          <p>{t('sideload.installing')}</p>
          <ProgressBar value={overall(stage.progress)} label={t('sideload.installing')} />
        </>
      )}
      {stage.kind === 'done' && (
        <>
          <p role="status">{t('sideload.done', { title: stage.summary.title })}</p>
          <button type="button" onClick={() => go(servicePath(stage.summary.id))}>
            {t('services.open', { title: stage.summary.title })}
          </button>
        </>
      )}
    </section>
  )
}

function Summary({ summary, kind, installed }: { summary: PackageSummary; kind: InstallKind; installed: string | null }) {
  return (
    <div class="package-summary">
      {summary.icon !== null ? <img class="icon" src={summary.icon} alt="" width={64} height={64} /> : <span class="icon" aria-hidden="true" />}
      <div>
        <h2>{summary.title}</h2>
        <p>
          <span class="version">{summary.version}</span> · <span class={`badge kind-${kind}`}>{t(`sideload.kind.${kind}`, { installed: installed ?? '' })}</span>
        </p>
        <p class="hint">{t('sideload.unverified')}</p>
      </div>
    </div>
  )
}

/** POSTs the file to the upload continuation, reporting bytes sent (fetch cannot report an upload). */
function send(guid: string, file: File, onSent: (bytes: number) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest()
    xhr.open('POST', `/rest/rpc/${encodeURIComponent(guid)}`)
    xhr.upload.onprogress = (e) => onSent(e.loaded)
    xhr.onload = () => (xhr.status >= 200 && xhr.status < 300 ? resolve() : reject(new Error(`HTTP ${xhr.status}: ${xhr.responseText}`)))
    xhr.onerror = () => reject(new Error(t('error.network')))
    xhr.send(file)
  })
}
