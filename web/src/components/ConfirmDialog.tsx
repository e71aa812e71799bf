import { useEffect, useRef, useState } from 'react'

/**
 * A modal confirmation (the native `<dialog>`: focus stays inside while open, Escape closes it).
 * It asks for a reason when `reasonLabel` is given (the registry keeps it in the history), and
 * gives focus back to what had it when it closes.
 */
export function ConfirmDialog(props: {
  title: string
  children: React.ReactNode
  confirmLabel: string
  reasonLabel?: string
  defaultReason?: string
  /** Runs on confirm; a thrown error is shown in the dialog, which then stays open. */
  onConfirm: (reason: string) => Promise<void>
  onClose: () => void
}) {
  const { title, children, confirmLabel, reasonLabel, defaultReason, onConfirm, onClose } = props
  const ref = useRef<HTMLDialogElement>(null)
  const [reason, setReason] = useState(defaultReason ?? '')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)

  useEffect(() => {
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null
    const dialog = ref.current
    dialog?.showModal()
    return () => {
      dialog?.close()
      opener?.focus()
    }
  }, [])

  const submit = async (e: React.FormEvent): Promise<void> => {
    e.preventDefault()
    if (reasonLabel !== undefined && reason.trim() === '') {
      setError('Please give a reason: it is kept in the deployment history.')
      return
    }
    setBusy(true)
    setError(null)
    try {
      await onConfirm(reason.trim())
      onClose()
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err))
      setBusy(false)
    }
  }

  return (
    <dialog
      ref={ref}
      className="confirm-dialog"
      aria-labelledby="confirm-title"
      data-testid="confirm-dialog"
      onCancel={(e) => {
        // Escape: close through React so the opener gets focus back.
        e.preventDefault()
        if (!busy) onClose()
      }}
    >
      <form onSubmit={(e) => void submit(e)}>
        <h2 id="confirm-title" className="panel-title">
          {title}
        </h2>
        <div className="confirm-body">{children}</div>
        {reasonLabel !== undefined && (
          <label className="field">
            <span>{reasonLabel}</span>
            <input className="input" name="reason" autoFocus value={reason} onChange={(e) => setReason(e.target.value)} maxLength={2000} />
          </label>
        )}
        {error !== null && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        <div className="dialog-buttons">
          <button type="button" className="button" onClick={onClose} disabled={busy} autoFocus={reasonLabel === undefined}>
            Cancel
          </button>
          <button type="submit" className="button primary" disabled={busy} data-testid="confirm">
            {busy ? 'Working…' : confirmLabel}
          </button>
        </div>
      </form>
    </dialog>
  )
}
