import { describe } from '../rpc/errors'

/** A progress bar; with no value it shows work without a known end. */
export function ProgressBar({ value, label }: { value: number | null; label: string }) {
  return value === null ? (
    <progress aria-label={label} />
  ) : (
    <progress aria-label={label} max={100} value={Math.round(value * 100)} />
  )
}

/** What went wrong, as a sentence in the UI's language; nothing when nothing did. */
export function ErrorMessage({ error }: { error: unknown }) {
  return error === null ? null : (
    <p class="error" role="alert">
      {describe(error)}
    </p>
  )
}
