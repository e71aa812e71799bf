/**
 * The anomaly stage on a worker thread (the default; `PROGNOS_ANOMALY_WORKER=off` runs
 * AnomalyStage on the event loop instead). The worker (anomaly.worker.ts) holds every
 * asset's ensemble and does all the scoring, health indices, detail bookkeeping and
 * checkpoint serialisation; the event loop keeps ingest, commits, features and alerting.
 * Scoring a features message of 1,000 vectors took ~30 ms of the event loop in one
 * stretch, during which no commit was answered; here it is a copy of the packed values
 * out and of the predictions back.
 *
 * The detector-state store and the asset look-ups stay on this thread (the store's
 * connection lives here): the worker asks for them by message. If the worker dies, the
 * requests it held fail (their vectors go unscored, reported as `worker_failed`), and a
 * new worker takes over, restoring each asset from its last checkpoint as it comes.
 *
 * @example
 * const stage = new AnomalyWorkerStage(stores.detectorState, assetInfo, { probationVectors: 60, alarmScore: 0.7, checkpointIntervalMs: 300_000, health: { warning: 0.7, critical: 0.4 } })
 * platform.stages.registerScoring(stage)
 * stage.start()
 * await stage.stop() // last checkpoint, then the worker ends
 */
import type { Worker } from 'node:worker_threads'
import { VectorPacker, type FeatureName, type PackedVector, type VectorShape } from '../features/feature-vector.js'
import type { DetectorStateRecord, DetectorStateStore } from '../store/ports.js'
import { startWorker } from '../threads.js'
import { ANOMALY_STAGE, type AnomalyAssetInfo, type AnomalyService, type AnomalyStageEvent, type AnomalyStageOptions, type AnomalyStats, type AssetHealth } from './anomaly.stage.js'
import type { AssetFeatures, Prediction } from './bus.js'

/** The worker's workerData. */
export interface WorkerOptions {
  stage: AnomalyStageOptions
}

type ErrorFields = { message: string; name: string; stack?: string }

/** What the host asks of the worker; answered by a `done` message with the same id. */
export type Request =
  | { fn: 'score'; tenantId: string; assetIds: string[]; ts: Float64Array; shapeIds: Int32Array; values: Float64Array; newShapes: { id: number; names: readonly string[] }[] }
  | { fn: 'latest'; tenantId: string; assetId: string }
  | { fn: 'fleet'; tenantId: string }
  | { fn: 'forget'; tenantId: string; assetId: string }
  | { fn: 'checkpoint' }
  | { fn: 'stop' }

/** What the worker asks of the host: the store's and the asset look-up's calls; answered by `answer`. */
export interface Call {
  t: 'call'
  id: number
  fn: 'save' | 'load' | 'summaries' | 'delete' | 'assetInfo'
  args: unknown[]
}

export type HostMessage =
  | { t: 'req'; id: number; req: Request }
  | { t: 'answer'; id: number; ok: true; value: unknown }
  | { t: 'answer'; id: number; ok: false; error: ErrorFields }
  | { t: 'rul'; tenantId: string; assetId: string; hours: number }
  | { t: 'start' }

/**
 * A features message's predictions as the worker sends them: per scored vector its index in
 * the request, its anomaly score and its health index, and the details of only the vectors
 * that told them in full. The others repeat their asset's last told details (the stage's
 * `detailsRepeat`), which the host keeps, so each crosses once instead of with every vector
 * (deserialising two details objects a vector was half the host's cost of scoring).
 */
export interface PackedPredictions {
  /** The request's buffers, handed back for the next request (ts unchanged; values and shape ids free to overwrite). */
  ts: Float64Array
  shapeIds: Int32Array
  values: Float64Array
  vector: Int32Array
  score: Float64Array
  health: Float64Array
  told: { at: number; score: Record<string, unknown>; health: Record<string, unknown> }[]
}

/** The stage's predictions (score then health, per scored vector, in request order) packed; `assetIds` and `ts` are the request's. */
export function packPredictions(ps: readonly Prediction[], r: Pick<Extract<Request, { fn: 'score' }>, 'assetIds' | 'ts' | 'shapeIds' | 'values'>): PackedPredictions {
  const { assetIds, ts } = r
  const n = ps.length / 2
  const out: PackedPredictions = { ts, shapeIds: r.shapeIds, values: r.values, vector: new Int32Array(n), score: new Float64Array(n), health: new Float64Array(n), told: [] }
  let j = 0
  for (let k = 0; k < n; k++) {
    const s = ps[2 * k]!
    const h = ps[2 * k + 1]!
    if (s.kind !== 'anomaly_score' || h.kind !== 'health' || h.assetId !== s.assetId) throw new Error(`anomaly worker: predictions ${2 * k} and ${2 * k + 1} are not a vector's score and health`)
    while (j < assetIds.length && (assetIds[j] !== s.assetId || ts[j] !== s.ts)) j++
    if (j === assetIds.length) throw new Error(`anomaly worker: a prediction of ${s.assetId} at ${s.ts} matches no vector of the request`)
    out.vector[k] = j++
    out.score[k] = s.value
    out.health[k] = h.value
    if (s.detailsRepeat !== true) out.told.push({ at: k, score: s.details ?? {}, health: h.details ?? {} })
  }
  return out
}

export type WorkerMessage =
  | Call
  | { t: 'done'; id: number; ok: true; value: unknown; stats: AnomalyStats }
  | { t: 'done'; id: number; ok: false; error: ErrorFields; stats: AnomalyStats }
  | { t: 'event'; e: AnomalyStageEvent }

/** An error as plain fields: what crosses postMessage. */
export function errorFields(err: unknown): ErrorFields {
  const e = err instanceof Error ? err : new Error(String(err))
  return { message: e.message, name: e.name, ...(e.stack ? { stack: e.stack } : {}) }
}

function toError(f: ErrorFields): Error {
  const e = new Error(f.message)
  e.name = f.name
  if (f.stack) e.stack = f.stack
  return e
}

/**
 * Buffers handed to the worker and back, reused by the next score request. A new ~1.7 MB
 * values array per features message (1,000 vectors of ~200 features), freed by whichever
 * thread's GC got to it, left glibc holding ~130 MB it had freed in the soak.
 */
export class BufferPool {
  private readonly free: ArrayBuffer[] = []

  /**
   * @param keep buffers held at most
   * @param largest bytes of the largest buffer held: a start-up backfill's messages of 10,000
   *   vectors (16 MiB) would otherwise stay held for good, 8 times the steady state's.
   */
  constructor(
    private readonly keep = 8,
    private readonly largest = 4 * 2 ** 20,
  ) {}

  /** A buffer of at least `bytes` (a power of two from 4 KiB, so messages of nearby sizes share them). */
  take(bytes: number): ArrayBuffer {
    let best = -1
    for (let i = 0; i < this.free.length; i++) {
      const b = this.free[i]!
      if (b.byteLength >= bytes && (best < 0 || b.byteLength < this.free[best]!.byteLength)) best = i
    }
    if (best >= 0) return this.free.splice(best, 1)[0]!
    return new ArrayBuffer(Math.max(4096, 2 ** Math.ceil(Math.log2(Math.max(1, bytes)))))
  }

  /** Back for reuse; past `keep` buffers the smallest is let go, and one past `largest` at once. */
  give(b: ArrayBuffer): void {
    if (b.byteLength === 0 || b.byteLength > this.largest) return
    this.free.push(b)
    if (this.free.length > this.keep) {
      let small = 0
      for (let i = 1; i < this.free.length; i++) if (this.free[i]!.byteLength < this.free[small]!.byteLength) small = i
      this.free.splice(small, 1)
    }
  }

  get size(): number {
    return this.free.length
  }
}

export class AnomalyWorkerStage implements AnomalyService {
  readonly name = ANOMALY_STAGE
  private worker!: Worker
  /** Shapes the current worker has been sent, by id. */
  private shapeIds = new WeakMap<VectorShape, number>()
  private nextShape = 1
  private nextId = 1
  private readonly inflight = new Map<number, { resolve: (v: unknown) => void; reject: (e: unknown) => void }>()
  private last: AnomalyStats = { assets: 0, scored: 0, evicted: 0, pending: 0 }
  /** Vectors scored and assets evicted by workers that died, so the counts keep growing. */
  private before = { scored: 0, evicted: 0 }
  private started = false
  private closed = false
  /** The score requests' buffers, back from the worker with its answers. */
  private readonly buffers = new BufferPool()
  /** Shapes for vectors that arrive unpacked (name → value objects). */
  private readonly packer = new VectorPacker()
  /** Per tenant \0 asset, the details the worker last told in full, which its repeats carry (least recently told first). */
  private readonly told = new Map<string, [Record<string, unknown>, Record<string, unknown>]>()

  constructor(
    private readonly store: DetectorStateStore,
    private readonly assetInfo: (tenantId: string, assetId: string) => Promise<AnomalyAssetInfo | null>,
    private readonly opts: AnomalyStageOptions,
    private readonly onEvent: (e: AnomalyStageEvent) => void = () => undefined,
  ) {
    this.spawn()
  }

  private spawn(): void {
    const w = startWorker(import.meta.url, './anomaly.worker', { workerData: { stage: this.opts } satisfies WorkerOptions })
    w.unref()
    this.worker = w
    this.shapeIds = new WeakMap()
    w.on('message', (m: WorkerMessage) => this.onMessage(w, m))
    const fail = (error: Error): void => {
      if (this.worker !== w) return
      for (const p of this.inflight.values()) p.reject(error)
      this.inflight.clear()
      if (this.closed) return
      this.onEvent({ type: 'worker_failed', error })
      this.before = { scored: this.before.scored + this.last.scored, evicted: this.before.evicted + this.last.evicted }
      this.last = { assets: 0, scored: 0, evicted: 0, pending: 0 }
      this.spawn()
      if (this.started) this.post({ t: 'start' })
    }
    w.on('error', fail)
    w.on('exit', (code) => fail(new Error(`anomaly worker exited with code ${code}`)))
  }

  private post(m: HostMessage, transfer: ArrayBuffer[] = []): void {
    this.worker.postMessage(m, transfer)
  }

  private onMessage(w: Worker, m: WorkerMessage): void {
    switch (m.t) {
      case 'call':
        this.serve(m).then(
          (value) => w.postMessage({ t: 'answer', id: m.id, ok: true, value } satisfies HostMessage),
          (err: unknown) => w.postMessage({ t: 'answer', id: m.id, ok: false, error: errorFields(err) } satisfies HostMessage),
        )
        return
      case 'done': {
        if (w !== this.worker) return
        this.last = m.stats
        const p = this.inflight.get(m.id)
        if (!p) return
        this.inflight.delete(m.id)
        if (m.ok) p.resolve(m.value)
        else p.reject(toError(m.error))
        return
      }
      case 'event': {
        const e = m.e as AnomalyStageEvent & { error?: ErrorFields }
        this.onEvent(e.error ? ({ ...e, error: toError(e.error) } as AnomalyStageEvent) : e)
        return
      }
    }
  }

  private serve(c: Call): Promise<unknown> {
    const a = c.args
    switch (c.fn) {
      case 'save':
        return this.store.save(a[0] as DetectorStateRecord[])
      case 'load':
        return this.store.load(a[0] as string, a[1] as string, a[2] as string)
      case 'summaries':
        return this.store.summaries(a[0] as string, a[1] as string)
      case 'delete':
        return this.store.delete(a[0] as string, a[1] as string | undefined)
      case 'assetInfo':
        return this.assetInfo(a[0] as string, a[1] as string)
    }
  }

  private request<T>(req: Request, transfer: ArrayBuffer[] = []): Promise<T> {
    if (this.closed) return Promise.reject(new Error('the anomaly stage is stopped'))
    const id = this.nextId++
    return new Promise<T>((resolve, reject) => {
      this.inflight.set(id, { resolve: resolve as (v: unknown) => void, reject })
      this.post({ t: 'req', id, req }, transfer)
    })
  }

  /** The vectors as one Float64Array and their shapes' ids, shapes the worker has not seen listed with their names. */
  async score(tenantId: string, assets: readonly AssetFeatures[]): Promise<Prediction[]> {
    if (assets.length === 0) return []
    const n = assets.length
    const vectors: PackedVector[] = new Array<PackedVector>(n)
    const assetIds = new Array<string>(n)
    const ts = new Float64Array(this.buffers.take(8 * n), 0, n)
    const shapeIds = new Int32Array(this.buffers.take(4 * n), 0, n)
    const newShapes: { id: number; names: readonly string[] }[] = []
    let total = 0
    for (let i = 0; i < n; i++) {
      const a = assets[i]!
      let v = a.packed
      if (!v) {
        const names = Object.keys(a.vector) as FeatureName[]
        v = this.packer.pack(a.assetId, names, names.map((k) => a.vector[k] as number), names.length)
      }
      let id = this.shapeIds.get(v.shape)
      if (id === undefined) {
        id = this.nextShape++
        this.shapeIds.set(v.shape, id)
        newShapes.push({ id, names: v.shape.names })
      }
      vectors[i] = v
      assetIds[i] = a.assetId
      ts[i] = a.ts
      shapeIds[i] = id
      total += v.values.length
    }
    const values = new Float64Array(this.buffers.take(8 * total), 0, total)
    let off = 0
    for (const v of vectors) {
      values.set(v.values, off)
      off += v.values.length
    }
    const packed = await this.request<PackedPredictions>({ fn: 'score', tenantId, assetIds, ts, shapeIds, values, newShapes }, [ts.buffer, shapeIds.buffer, values.buffer] as ArrayBuffer[])
    const out = this.unpack(tenantId, assetIds, packed)
    for (const a of [packed.ts, packed.shapeIds, packed.values]) this.buffers.give(a.buffer as ArrayBuffer)
    return out
  }

  /** The predictions of a packed answer, repeats given their asset's last told details. */
  private unpack(tenantId: string, assetIds: readonly string[], packed: PackedPredictions): Prediction[] {
    const { ts } = packed
    const out = new Array<Prediction>(2 * packed.vector.length)
    let t = 0
    for (let k = 0; k < packed.vector.length; k++) {
      const i = packed.vector[k]!
      const assetId = assetIds[i]!
      const key = `${tenantId}\u0000${assetId}`
      const score: Prediction = { assetId, ts: ts[i]!, source: ANOMALY_STAGE, kind: 'anomaly_score', value: packed.score[k]! }
      const health: Prediction = { assetId, ts: ts[i]!, source: ANOMALY_STAGE, kind: 'health', value: packed.health[k]! }
      const full = packed.told[t]
      if (full !== undefined && full.at === k) {
        t++
        score.details = full.score
        health.details = full.health
        this.told.delete(key)
        this.told.set(key, [full.score, full.health])
        if (this.opts.maxAssets !== undefined && this.told.size > this.opts.maxAssets) this.told.delete(this.told.keys().next().value!)
      } else {
        const last = this.told.get(key)
        if (last) {
          score.details = last[0]
          health.details = last[1]
        }
        score.detailsRepeat = health.detailsRepeat = true
      }
      out[2 * k] = score
      out[2 * k + 1] = health
    }
    return out
  }

  start(): void {
    if (this.started || this.closed) return
    this.started = true
    this.post({ t: 'start' })
  }

  /** The worker's last checkpoint, then the worker ends. */
  async stop(): Promise<void> {
    if (this.closed) return
    try {
      await this.request<void>({ fn: 'stop' })
    } finally {
      this.closed = true
      await this.worker.terminate()
    }
  }

  checkpoint(): Promise<void> {
    return this.request<void>({ fn: 'checkpoint' })
  }

  noteRul(tenantId: string, assetId: string, hours: number): void {
    if (!this.closed && Number.isFinite(hours)) this.post({ t: 'rul', tenantId, assetId, hours })
  }

  latest(tenantId: string, assetId: string): Promise<AssetHealth | null> {
    return this.request<AssetHealth | null>({ fn: 'latest', tenantId, assetId })
  }

  fleet(tenantId: string): Promise<AssetHealth[]> {
    return this.request<AssetHealth[]>({ fn: 'fleet', tenantId })
  }

  forget(tenantId: string, assetId: string): Promise<void> {
    this.told.delete(`${tenantId}\u0000${assetId}`)
    return this.request<void>({ fn: 'forget', tenantId, assetId })
  }

  /** As the worker last reported them (with its answers), plus what workers that died had counted. */
  stats(): AnomalyStats {
    return { ...this.last, scored: this.before.scored + this.last.scored, evicted: this.before.evicted + this.last.evicted }
  }
}
