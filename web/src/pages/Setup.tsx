import { useEffect, useState } from 'preact/hooks'
import { LANGUAGE_NAMES, LANGUAGES, t, type Language } from '../i18n/catalog'
import { chooseLanguage, rpc } from '../app/session'
import { encryptPassword, type ServerKey } from '../setup/jwe'
import { overall, type Progress } from '../rpc/progress'
import { ErrorMessage, ProgressBar } from '../app/widgets'
import { NewPasswordFields, newPasswordProblem } from '../app/NewPassword'
import { followProgress } from '../rpc/continuation'

type Completed = { hostname: string; rootCa: string; needsRestart: boolean }
type Status =
  | { status: 'needs-install' | 'incomplete' }
  | { status: 'running'; guid: string; progress: Progress }
  | ({ status: 'complete' } & Completed)

type Step =
  | { kind: 'language' }
  | { kind: 'form' }
  | { kind: 'progress'; guid: string; progress: Progress | null }
  | { kind: 'done'; completed: Completed }

/** The setup wizard: language, then a fresh server (name, password), progress, and what to keep. */
export function Setup() {
  const [step, setStep] = useState<Step | null>(null)
  const [error, setError] = useState<unknown>(null)

  useEffect(() => {
    rpc.call<Status>('setup.status').then(
      (s) => {
        if (s.status === 'complete') setStep({ kind: 'done', completed: s })
        else if (s.status === 'running') setStep({ kind: 'progress', guid: s.guid, progress: s.progress })
        else setStep({ kind: 'language' })
      },
      (e) => setError(e),
    )
  }, [])

  useEffect(() => {
    if (step?.kind !== 'progress') return
    const { done, stop } = followProgress(step.guid, (progress) => setStep({ kind: 'progress', guid: step.guid, progress }))
    done.then(
      async () => {
        try {
          setStep({ kind: 'done', completed: await rpc.call<Completed>('setup.complete') })
        } catch (e) {
          setError(e)
        }
      },
      (e: Error) => {
        setError(new Error(`${t('setup.failed')} ${e.message}`))
        setStep({ kind: 'form' })
      },
    )
    return stop
  }, [step?.kind === 'progress' ? step.guid : null])

  return (
    <main class="narrow">
      <ErrorMessage error={error} />
      {step === null && error === null && <p>{t('common.loading')}</p>}
      {step?.kind === 'language' && <LanguageStep onChosen={() => setStep({ kind: 'form' })} />}
      {step?.kind === 'form' && (
        <FreshForm
          onStarted={(guid) => {
            setError(null)
            setStep({ kind: 'progress', guid, progress: null })
          }}
          onError={setError}
        />
      )}
      {step?.kind === 'progress' && (
        <section>
          <h1>{t('setup.progress.title')}</h1>
          <ProgressBar value={overall(step.progress)} label={t('setup.progress.title')} />
        </section>
      )}
      {step?.kind === 'done' && <Done completed={step.completed} />}
    </main>
  )
}

function LanguageStep({ onChosen }: { onChosen: () => void }) {
  const choose = (lang: Language) => {
    chooseLanguage(lang)
    // Kept on the server too, for the server's own messages; the page goes on if it cannot.
    rpc.call('setup.set-language', { language: lang }).catch(() => {})
    onChosen()
  }
  return (
    <section>
      <h1>{t('setup.language.title')}</h1>
      <ul class="choices">
        {LANGUAGES.map((l) => (
          <li key={l}>
            <button type="button" lang={l} onClick={() => choose(l)}>
              {LANGUAGE_NAMES[l]}
            </button>
          </li>
        ))}
      </ul>
    </section>
  )
}

function FreshForm({ onStarted, onError }: { onStarted: (guid: string) => void; onError: (e: unknown) => void }) {
  const [name, setName] = useState('')
  const [password, setPassword] = useState('')
  const [again, setAgain] = useState('')
  const [problem, setProblem] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)

  const submit = async (e: Event) => {
    e.preventDefault()
    const wrong = newPasswordProblem(password, again)
    setProblem(wrong)
    if (wrong !== null) return
    setBusy(true)
    try {
      const key = await rpc.call<ServerKey>('setup.get-pubkey')
      const encrypted = await encryptPassword(password, key)
      const started = await rpc.call<{ guid: string }>('setup.execute', {
        password: { encrypted },
        name: name.trim() === '' ? null : name.trim(),
        recoverySource: null,
        kiosk: false,
      })
      onStarted(started.guid)
    } catch (err) {
      onError(err)
    } finally {
      setBusy(false)
    }
  }

  return (
    <form onSubmit={submit} noValidate>
      <h1>{t('setup.fresh.title')}</h1>
      <label for="name">{t('setup.name.label')}</label>
      <input id="name" value={name} onInput={(e) => setName(e.currentTarget.value)} placeholder={t('setup.name.placeholder')} autoComplete="off" />
      <NewPasswordFields
        id="password"
        label={t('setup.password.label')}
        password={password}
        again={again}
        onPassword={(v) => (setPassword(v), setProblem(null))}
        onAgain={(v) => (setAgain(v), setProblem(null))}
      />
      {problem !== null && (
        <p class="error" role="alert">
          {problem}
        </p>
      )}
      <button type="submit" disabled={busy}>
        {t('setup.fresh.submit')}
      </button>
      <div class="later">
        <button type="button" disabled>
          {t('setup.restore')}
        </button>
        <button type="button" disabled>
          {t('setup.transfer')}
        </button>
        <p class="hint">{t('setup.restore.later')}</p>
      </div>
    </form>
  )
}

const PLATFORMS = ['windows', 'macos', 'linux', 'android', 'ios', 'firefox'] as const

function Done({ completed }: { completed: Completed }) {
  const [leaving, setLeaving] = useState(false)
  const address = `${completed.hostname}.local`
  return (
    <section>
      <h1>{t('setup.done.title')}</h1>
      <p>
        {t('setup.done.address')} <strong>{address}</strong>
      </p>
      <h2>{t('setup.done.save.title')}</h2>
      <p>{t('setup.done.save.text')}</p>
      <p class="actions">
        <a class="button" href="/static/StartOS-info.html" download="StartOS-info.html">
          {t('setup.done.info')}
        </a>
        <a class="button" href="/static/local-root-ca.crt" download={`${completed.hostname}.crt`}>
          {t('setup.done.ca')}
        </a>
      </p>
      <h2>{t('setup.trust.title')}</h2>
      <dl class="trust">
        {PLATFORMS.map((p) => (
          <div key={p}>
            <dt>{t(`setup.trust.${p}.name`)}</dt>
            <dd>{t(`setup.trust.${p}`)}</dd>
          </div>
        ))}
      </dl>
      <button
        type="button"
        disabled={leaving}
        onClick={async () => {
          setLeaving(true)
          await rpc.call('setup.exit').catch(() => {})
          location.reload()
        }}
      >
        {t('setup.done.go')}
      </button>
    </section>
  )
}
