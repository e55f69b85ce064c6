import type { ComponentType } from 'preact'
import { useEffect, useState } from 'preact/hooks'
import { t } from '../i18n/catalog'

/**
 * The package's own instructions (`instructions.md` inside its installed archive, rpc.md §1.1
 * `/s9pk/installed/…`), rendered by the Markdown module, which loads only when a service page opens.
 */
export function Instructions({ id }: { id: string }) {
  const [text, setText] = useState<string | null>(null)
  const [failed, setFailed] = useState(false)
  const [Markdown, setMarkdown] = useState<ComponentType<{ source: string }> | null>(null)
  const [open, setOpen] = useState(false)
  useEffect(() => {
    if (!open || text !== null) return
    let gone = false
    Promise.all([
      fetch(`/s9pk/installed/${encodeURIComponent(id)}.s9pk/instructions.md`, { credentials: 'same-origin' }).then((r) => {
        if (!r.ok) throw new Error(`HTTP ${r.status}`)
        return r.text()
      }),
      import('../markdown/Markdown'),
    ]).then(
      ([source, module]) => {
        if (gone) return
        setMarkdown(() => module.Markdown)
        setText(source)
      },
      () => !gone && setFailed(true),
    )
    return () => {
      gone = true
    }
  }, [open, id])
  return (
    <details class="instructions" onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>{t('service.instructions')}</summary>
      {failed ? <p class="error">{t('service.instructions-missing')}</p> : text === null || Markdown === null ? <p>{t('common.loading')}</p> : <Markdown source={text} />}
    </details>
  )
}
