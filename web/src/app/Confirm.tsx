import type { ComponentChildren } from 'preact'
import { useEffect, useRef } from 'preact/hooks'
import { t } from '../i18n/catalog'

/** A question in a modal dialog: Cancel, or the button that does what it asks. */
export function Confirm({
  open,
  id,
  title,
  confirm,
  danger = false,
  onConfirm,
  onCancel,
  children,
}: {
  open: boolean
  id: string
  title: string
  confirm: string
  danger?: boolean
  onConfirm: () => void
  onCancel: () => void
  children?: ComponentChildren
}) {
  const dialog = useRef<HTMLDialogElement>(null)
  useEffect(() => {
    if (open && dialog.current?.open !== true) dialog.current?.showModal()
    if (!open) dialog.current?.close()
  }, [open])
  return (
    <dialog ref={dialog} onClose={() => open && onCancel()} aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      {children}
      <div class="log-controls">
        <button type="button" onClick={onCancel}>
          {t('common.cancel')}
        </button>
        <button type="button" class={danger ? 'danger' : 'primary'} onClick={onConfirm}>
          {confirm}
        </button>
      </div>
    </dialog>
  )
}
