import { useState } from 'preact/hooks'
import { t } from '../i18n/catalog'

/**
 * Copies `text`. The clipboard API exists only in a secure context; on plain HTTP at a LAN address
 * the text is put in a selected field instead, for the person to copy.
 */
export function CopyButton({ text, label }: { text: string; label: string }) {
  const [state, setState] = useState<'idle' | 'copied' | 'manual'>('idle')
  const copy = async () => {
    try {
      if (navigator.clipboard === undefined) throw new Error('no clipboard')
      await navigator.clipboard.writeText(text)
      setState('copied')
    } catch {
      setState('manual')
    }
  }
  return (
    <>
      <button type="button" aria-label={label} onClick={() => void copy()}>
        {state === 'copied' ? t('common.copied') : t('common.copy')}
      </button>
      {state === 'manual' && <input class="manual-copy" readOnly value={text} aria-label={label} ref={(el) => el?.select()} />}
    </>
  )
}
