import { t } from '../i18n/catalog'

export const MIN_PASSWORD = 8

/** A rough strength hint: length counts most, then the kinds of characters used. */
export function strength(password: string): 'weak' | 'fair' | 'strong' {
  const kinds = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((r) => r.test(password)).length
  if (password.length >= 16 || (password.length >= 12 && kinds >= 3)) return 'strong'
  if (password.length >= 10 && kinds >= 2) return 'fair'
  return 'weak'
}

/** Why a new password and its repetition cannot be used, or null when they can. */
export function newPasswordProblem(password: string, again: string): string | null {
  if (password.length < MIN_PASSWORD) return t('setup.password.short', { min: MIN_PASSWORD })
  if (password !== again) return t('setup.password.differ')
  return null
}

/** A new password and its repetition, with the rule until something is typed, then a strength hint. */
export function NewPasswordFields(props: {
  id: string
  label: string
  password: string
  again: string
  onPassword: (v: string) => void
  onAgain: (v: string) => void
}) {
  const hint = props.password === '' ? null : strength(props.password)
  return (
    <>
      <label for={props.id}>{props.label}</label>
      <input id={props.id} type="password" value={props.password} onInput={(e) => props.onPassword(e.currentTarget.value)} autoComplete="new-password" aria-describedby={`${props.id}-strength`} />
      <p id={`${props.id}-strength`} class={`hint ${hint ?? ''}`} aria-live="polite">
        {hint === null ? t('setup.password.rule', { min: MIN_PASSWORD }) : t(`setup.strength.${hint}`)}
      </p>
      <label for={`${props.id}-again`}>{t('setup.password.again')}</label>
      <input id={`${props.id}-again`} type="password" value={props.again} onInput={(e) => props.onAgain(e.currentTarget.value)} autoComplete="new-password" />
    </>
  )
}
