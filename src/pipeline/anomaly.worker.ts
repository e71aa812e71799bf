/**
 * Worker thread: the anomaly stage (src/pipeline/anomaly.stage.ts) off the event loop.
 * AnomalyWorkerStage (anomaly.worker-stage.ts) starts it with the stage's options as
 * workerData and talks to it by messages (the protocol is typed there):
 * - requests (`req`): score a features message, latest, fleet, forget, checkpoint, stop;
 *   each answered by `done` with the result or the error, and the stage's stats;
 * - `rul` and `start`: no answer;
 * - the stage's store and asset look-ups run on the main thread: the worker asks with
 *   `call` and the host answers with `answer`.
 * Feature vectors arrive packed in one Float64Array per message, with their shapes sent
 * once (by id), so a message of 1,000 vectors is three typed arrays and a list of ids.
 */
import { getHeapStatistics } from 'node:v8'
import { parentPort, workerData } from 'node:worker_threads'
import { PackedVector, VectorShape, type FeatureName } from '../features/feature-vector.js'
import '../models/anomaly/catalogue.js'
import type { DetectorStateRecord, DetectorStateStore, DetectorStateSummary } from '../store/ports.js'
import { AnomalyStage, type AnomalyAssetInfo, type AnomalyStageEvent, type AnomalyStats } from './anomaly.stage.js'
import { errorFields, packPredictions, type Call, type HostMessage, type Request, type WorkerMessage, type WorkerOptions } from './anomaly.worker-stage.js'
import { PackedAssetFeatures, type AssetFeatures } from './bus.js'

const port = parentPort!
const post = (m: WorkerMessage): void => port.postMessage(m)
const opts = workerData as WorkerOptions

let nextCall = 1
const calls = new Map<number, { resolve: (v: unknown) => void; reject: (e: unknown) => void }>()
function call<T>(fn: Call['fn'], args: unknown[]): Promise<T> {
  const id = nextCall++
  return new Promise<T>((resolve, reject) => {
    calls.set(id, { resolve: resolve as (v: unknown) => void, reject })
    post({ t: 'call', id, fn, args })
  })
}

const store: DetectorStateStore = {
  save: (records: readonly DetectorStateRecord[]) => call<void>('save', [records]),
  load: (tenantId: string, assetId: string, detector: string) => call<DetectorStateRecord | null>('load', [tenantId, assetId, detector]),
  summaries: (tenantId: string, detector: string) => call<DetectorStateSummary[]>('summaries', [tenantId, detector]),
  delete: (tenantId: string, assetId?: string) => call<number>('delete', [tenantId, assetId]),
}

const onEvent = (e: AnomalyStageEvent): void => {
  // An error crosses as its fields; the host makes an Error of them again.
  post({ t: 'event', e: 'error' in e ? ({ ...e, error: errorFields(e.error) } as AnomalyStageEvent) : e })
}

/** The stage's counts and this thread's heap, sent with every answer. */
function stats(): AnomalyStats {
  const h = getHeapStatistics()
  return { ...stage.stats(), heapUsedBytes: h.used_heap_size, heapTotalBytes: h.total_heap_size, externalBytes: h.external_memory }
}

const stage = new AnomalyStage(store, (tenantId, assetId) => call<AnomalyAssetInfo | null>('assetInfo', [tenantId, assetId]), opts.stage, onEvent)

/** Shapes by the id the host gave them: one VectorShape per id, so the ensembles' plans (cached per shape) are reused. */
const shapes = new Map<number, VectorShape>()

function unpack(r: Extract<Request, { fn: 'score' }>): AssetFeatures[] {
  for (const s of r.newShapes) shapes.set(s.id, new VectorShape(s.names as FeatureName[]))
  const out: AssetFeatures[] = []
  let off = 0
  for (let i = 0; i < r.assetIds.length; i++) {
    const shape = shapes.get(r.shapeIds[i]!)
    if (!shape) throw new Error(`anomaly worker: unknown vector shape ${r.shapeIds[i]}`)
    const n = shape.names.length
    // A view, valid while the message is scored: the buffer goes back to the host with the answer, for its next message (StreamPoint.packed).
    out.push(new PackedAssetFeatures(r.assetIds[i]!, r.ts[i]!, new PackedVector(shape, r.values.subarray(off, off + n))))
    off += n
  }
  return out
}

/** A request's answer, and the buffers in it that are handed over rather than copied. */
interface Answer {
  value: unknown
  transfer?: ArrayBuffer[]
}

async function handle(r: Request): Promise<Answer> {
  if (r.fn === 'score') {
    const packed = packPredictions(await stage.score(r.tenantId, unpack(r)), r)
    return { value: packed, transfer: [packed.ts.buffer, packed.shapeIds.buffer, packed.values.buffer, packed.vector.buffer, packed.score.buffer, packed.health.buffer] as ArrayBuffer[] }
  }
  return { value: await answer(r) }
}

function answer(r: Exclude<Request, { fn: 'score' }>): Promise<unknown> {
  switch (r.fn) {
    case 'latest':
      return stage.latest(r.tenantId, r.assetId)
    case 'fleet':
      return stage.fleet(r.tenantId)
    case 'forget':
      return stage.forget(r.tenantId, r.assetId)
    case 'checkpoint':
      return stage.checkpoint()
    case 'stop':
      return stage.stop()
  }
}

port.on('message', (m: HostMessage) => {
  switch (m.t) {
    case 'answer': {
      const c = calls.get(m.id)
      if (!c) return
      calls.delete(m.id)
      if (m.ok) c.resolve(m.value)
      else c.reject(Object.assign(new Error(m.error.message), { name: m.error.name }))
      return
    }
    case 'rul':
      stage.noteRul(m.tenantId, m.assetId, m.hours)
      return
    case 'start':
      stage.start()
      return
    case 'req':
      handle(m.req).then(
        (a) => port.postMessage({ t: 'done', id: m.id, ok: true, value: a.value, stats: stats() } satisfies WorkerMessage, a.transfer ?? []),
        (err: unknown) => post({ t: 'done', id: m.id, ok: false, error: errorFields(err), stats: stats() }),
      )
      return
  }
})
