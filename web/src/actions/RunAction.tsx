import { useEffect, useRef, useState } from 'preact/hooks'
import type { Json, JsonObject } from '../db/json'
import { member } from '../db/json'
import { t } from '../i18n/catalog'
import { rpc } from '../app/session'
import { ErrorMessage } from '../app/widgets'
import { ActionForm } from './ActionForm'
import { ActionResult } from './ActionResult'
import { initialValue, setAt, validate, type FieldPath, type InputSpec } from './input-spec'

export type ActionMetadata = {
  name: string
  description: string
  warning: string | null
  hasInput: boolean
}

/** What the dialog is running: an action of a package, and the task's input when a task opened it. */
export type ActionRequest = { packageId: string; actionId: string; title: string; metadata: ActionMetadata; prefill: Json | undefined }

type Stage =
  | { kind: 'loading' }
  | { kind: 'form'; eventId: string | null; spec: InputSpec; initial: Json; value: JsonObject; tried: boolean }
  | { kind: 'confirm' }
  | { kind: 'running' }
  | { kind: 'done'; result: Json }

/**
 * Runs one action as lifecycle.md §3.6 says: with input, `package.action.get-input` (the task's
 * prefill on top of the current settings), the form, then `package.action.run` with the same
 * eventId and the whole form; without input, straight to `run` after a question. The action's
 * warning is shown before anything runs.
 */
export function RunAction({ request, onClose }: { request: ActionRequest; onClose: () => void }) {
  const { packageId, actionId, metadata } = request
  const [stage, setStage] = useState<Stage>({ kind: 'loading' })
  const [error, setError] = useState<unknown>(null)
  const dialog = useRef<HTMLDialogElement>(null)

  useEffect(() => {
    dialog.current?.showModal()
    if (!metadata.hasInput) {
      setStage({ kind: 'confirm' })
      return
    }
    let gone = false
    rpc
      .call<{ eventId: string; spec: InputSpec; value: Json } | null>('package.action.get-input', {
        packageId,
        actionId,
        prefill: request.prefill ?? null,
      })
      .then((input) => {
        if (gone) return
        if (input === null) setStage({ kind: 'confirm' })
        else setStage({ kind: 'form', eventId: input.eventId, spec: input.spec, initial: input.value, value: initialValue(input.spec, input.value, request.prefill), tried: false })
      }, setError)
    return () => {
      gone = true
    }
  }, [])

  const run = async (eventId: string | null, input: JsonObject | null) => {
    const before = stage
    setStage({ kind: 'running' })
    setError(null)
    try {
      const result = await rpc.call<Json>('package.action.run', { packageId, actionId, eventId, input })
      if (result === null) onClose()
      else setStage({ kind: 'done', result })
    } catch (e) {
      setError(e)
      setStage(before)
    }
  }

  const submit = (e: Event) => {
    e.preventDefault()
    if (stage.kind === 'confirm') return void run(null, null)
    if (stage.kind !== 'form') return
    if (validate(stage.spec, stage.value).length > 0) {
      setStage({ ...stage, tried: true })
      return
    }
    void run(stage.eventId, stage.value)
  }

  const change = (path: FieldPath, v: Json) => {
    // From the latest stage, not this render's: two changes before a render must both count.
    setStage((s) => (s.kind === 'form' ? { ...s, value: setAt(s.value, path, v) as JsonObject } : s))
  }

  const problems = stage.kind === 'form' ? validate(stage.spec, stage.value) : []
  return (
    <dialog ref={dialog} class="action-dialog" onClose={onClose} aria-labelledby="action-title">
      <form method="dialog" onSubmit={submit} noValidate>
        <h2 id="action-title">{metadata.name}</h2>
        <p class="hint">{request.title}</p>
        {metadata.description !== '' && <p>{metadata.description}</p>}
        {metadata.warning !== null && metadata.warning !== '' && stage.kind !== 'done' && (
          <p class="warning" role="note">
            {metadata.warning}
          </p>
        )}
        {stage.kind === 'loading' && <p>{t('common.loading')}</p>}
        {stage.kind === 'confirm' && <p>{t('action.confirm', { name: metadata.name })}</p>}
        {stage.kind === 'form' && (
          <ActionForm spec={stage.spec} value={stage.value} initial={stage.initial} problems={problems} showProblems={stage.tried} onChange={change} idPrefix={`action-${actionId}`} />
        )}
        {stage.kind === 'form' && stage.tried && problems.length > 0 && (
          <p class="error" role="alert">
            {t('form.fix', { count: problems.length })}
          </p>
        )}
        {stage.kind === 'running' && <p role="status">{t('action.running')}</p>}
        {stage.kind === 'done' && <ActionResult result={stage.result} />}
        <ErrorMessage error={error} />
        <div class="log-controls">
          <button type="button" onClick={() => dialog.current?.close()}>
            {stage.kind === 'done' ? t('common.close') : t('common.cancel')}
          </button>
          {(stage.kind === 'form' || stage.kind === 'confirm') && (
            <button type="submit" class="primary">
              {t('action.run')}
            </button>
          )}
        </div>
      </form>
    </dialog>
  )
}

/** The action's metadata from the package's entry, or null when it has no such action. */
export function actionMetadata(entry: Json | undefined, actionId: string): ActionMetadata | null {
  const a = member(entry, 'actions', actionId)
  const name = member(a, 'name')
  if (typeof name !== 'string') return null
  const description = member(a, 'description')
  const warning = member(a, 'warning')
  return {
    name,
    description: typeof description === 'string' ? description : '',
    warning: typeof warning === 'string' ? warning : null,
    hasInput: member(a, 'hasInput') === true,
  }
}
