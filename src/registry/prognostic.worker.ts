/**
 * Child process of the demo's background training (demo-models.ts): trains one prognostic family
 * with {@link trainPrognostic} and sends the model back as JSON, so TensorFlow.js and the CPU it
 * burns stay out of the server's process (which lowers this one's priority).
 *
 * Protocol over the IPC channel: the parent sends one {@link WorkerRequest}; the child sends
 * `progress` messages, then one `done` or `failed`, and exits.
 */
import type { PrognosticData, PrognosticProgress } from './prognostic.training.js'

export interface WorkerRequest {
  family: string
  params: Record<string, unknown>
  data: PrognosticData
}

export type WorkerMessage =
  | { type: 'progress'; progress: PrognosticProgress }
  | { type: 'done'; model: unknown; metrics: Record<string, number>; fingerprint: string; log: string[] }
  | { type: 'failed'; message: string; code?: string; field?: string }

const send = (m: WorkerMessage): Promise<void> => new Promise((resolve) => (process.send ? process.send(m, () => resolve()) : resolve()))

process.once('message', (req: WorkerRequest) => {
  void (async () => {
    try {
      const { trainPrognostic } = await import('./prognostic.training.js')
      let last = 0
      const t = await trainPrognostic(req.family, req.params, req.data, (progress) => {
        // At most a few progress messages a second: the parent only logs them.
        const now = Date.now()
        if (now - last < 250 && progress.done !== progress.total) return
        last = now
        void send({ type: 'progress', progress })
      })
      await send({ type: 'done', model: t.model.toJSON(), metrics: t.metrics, fingerprint: t.fingerprint, log: t.log })
    } catch (err) {
      const e = err as { message?: string; code?: string; field?: string }
      await send({ type: 'failed', message: e.message ?? String(err), ...(e.code ? { code: e.code } : {}), ...(e.field ? { field: e.field } : {}) })
    }
    process.disconnect()
  })()
})
