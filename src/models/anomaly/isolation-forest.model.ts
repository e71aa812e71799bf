/**
 * `isolation-forest`: Liu, Ting and Zhou's isolation forest over feature vectors.
 *
 * `nTrees` trees, each grown on a random subsample of `sampleSize` training vectors by
 * splitting a random feature at a uniform random point until a vector is alone or the depth
 * limit ⌈log₂ sampleSize⌉ is reached. The raw score is `2^(−E[h(x)]/c(ψ))`.
 *
 * One departure from the original: a vector lying outside a split node's range of its
 * feature by more than that range's width ends its path there (it would be cut off alone).
 * The original sends it down the extreme branch, so every vector beyond the training range
 * scores like the most extreme training vector, however far out it is. Raw scores are
 * not comparable across data sets, so they are calibrated on the training vectors (median
 * and MAD of their own raw scores) into a robust z and mapped by the shared z → score map.
 *
 * Contributions: in each tree the split that isolated x credits its feature with
 * 1/(path length), so features that isolate x early dominate; folded into channels.
 *
 * State: the training vectors and the seed. Trees are rebuilt from them deterministically
 * on restore (a few milliseconds), which keeps the serialised form small and exact.
 *
 * Cold start: `warmingUp` until `trainSize` vectors were seen (or `fit` was called).
 */
import { families } from '../families.js'
import { ModelFormatError } from '../errors.js'
import type { AnomalyOutput, Model, ModelDescription, ModelFamily, SerializedModel, StreamPoint } from '../model.js'
import { MAD_TO_SD, Params, sharedParams, SeededRandom, byChannel, checkSerialized, clone, mad, median, quiet, shares, zToScore } from './common.js'
import { VectorBuffer, chooseRows, toRow, type ChosenRows } from './multivariate.js'

const FAMILY = 'isolation-forest'
/** 2: the probation buffer packed (1, vectors as objects, is still read). */
const FORMAT = 2

export interface IsolationForestParams {
  nTrees: number
  sampleSize: number
  trainSize: number
  seed: number
  zFree: number
  zScale: number
}

interface Trained {
  names: string[]
  fill: number[]
  rows: number[][]
  seed: number
}

interface State {
  buffer: VectorBuffer
  trained: Trained | null
}

/** A tree as it is grown: feature −1 marks a leaf whose `value` is its size; `lo`/`hi` are a split node's range of its feature. */
interface Tree {
  feature: number[]
  value: number[]
  lo: number[]
  hi: number[]
  right: number[]
}

/**
 * Every tree of the forest in flat arrays of its split nodes only (17 bytes a split where a
 * node took 20 and a typed array per field and tree ~45): a leaf is only its size, so it is
 * stored in the child reference that leads to it. A child (or a root) ≥ 0 is a split node's
 * index, < 0 a leaf of size −1 − child. Child references and features take 16 bits while
 * they fit (they do for the ensemble's forests: 100 trees of 64 vectors), else 32.
 * Thresholds and ranges are float32: the same rounding on every rebuild, so a restored
 * forest scores exactly as the live one.
 */
interface Forest {
  roots: Int32Array
  feature: Uint16Array | Int32Array
  value: Float32Array
  lo: Float32Array
  hi: Float32Array
  left: Int16Array | Int32Array
  right: Int16Array | Int32Array
}

function packForest(trees: readonly Tree[], features: number): Forest {
  let splits = 0
  let maxLeaf = 0
  for (const t of trees)
    t.feature.forEach((f, j) => {
      if (f >= 0) splits++
      else maxLeaf = Math.max(maxLeaf, t.value[j] as number)
    })
  const short = splits <= 0x7fff && maxLeaf + 1 <= 0x8000
  const refs = (): Int16Array | Int32Array => (short ? new Int16Array(splits) : new Int32Array(splits))
  const f: Forest = {
    roots: new Int32Array(trees.length),
    feature: features <= 0xffff ? new Uint16Array(splits) : new Int32Array(splits),
    value: new Float32Array(splits),
    lo: new Float32Array(splits),
    hi: new Float32Array(splits),
    left: refs(),
    right: refs(),
  }
  let at = 0
  trees.forEach((t, k) => {
    // Split nodes are numbered in the tree's (pre-)order; a node's reference is its split index or its leaf size.
    const index = new Int32Array(t.feature.length)
    t.feature.forEach((ft, j) => (index[j] = ft >= 0 ? at++ : -1 - (t.value[j] as number)))
    f.roots[k] = index[0] as number
    t.feature.forEach((ft, j) => {
      if (ft < 0) return
      const i = index[j] as number
      f.feature[i] = ft
      f.value[i] = t.value[j] as number
      f.lo[i] = t.lo[j] as number
      f.hi[i] = t.hi[j] as number
      // Pre-order: the left child is node j + 1.
      f.left[i] = index[j + 1] as number
      f.right[i] = index[t.right[j] as number] as number
    })
  })
  return f
}

function readParams(raw?: Readonly<Record<string, unknown>>): IsolationForestParams {
  const p = new Params(raw)
  return {
    nTrees: p.num('nTrees', 100, { min: 1, max: 10_000, integer: true }),
    sampleSize: p.num('sampleSize', 128, { min: 2, max: 100_000, integer: true }),
    trainSize: p.num('trainSize', 256, { min: 8, max: 1_000_000, integer: true }),
    seed: p.num('seed', 1, { integer: true }),
    zFree: p.num('zFree', 3, { min: 0 }),
    zScale: p.num('zScale', 4, { min: 1e-9 }),
  }
}

/** Average path length of an unsuccessful BST search among n points: the normaliser c(n). */
export function avgPathLength(n: number): number {
  if (n <= 1) return 0
  if (n === 2) return 1
  return 2 * (Math.log(n - 1) + 0.5772156649) - (2 * (n - 1)) / n
}

function buildTree(rows: readonly number[][], idx: number[], rng: SeededRandom, maxDepth: number): Tree {
  const feature: number[] = []
  const value: number[] = []
  const los: number[] = []
  const his: number[] = []
  const right: number[] = []
  const p = rows[0]?.length ?? 0
  const grow = (ids: number[], depth: number): number => {
    const node = feature.length
    feature.push(-1)
    value.push(ids.length)
    los.push(0)
    his.push(0)
    right.push(-1)
    if (ids.length <= 1 || depth >= maxDepth) return node
    // Features constant on this node cannot split it; try the others in random order.
    const order = Array.from({ length: p }, (_, i) => i)
    for (let i = order.length - 1; i > 0; i--) {
      const j = rng.int(i + 1)
      ;[order[i], order[j]] = [order[j] as number, order[i] as number]
    }
    for (const f of order) {
      let lo = Infinity
      let hi = -Infinity
      for (const i of ids) {
        const x = (rows[i] as number[])[f] as number
        if (x < lo) lo = x
        if (x > hi) hi = x
      }
      if (!(hi > lo)) continue
      // Rounded as the forest stores it, so training rows take the paths that scoring will.
      const t = Math.fround(lo + rng.next() * (hi - lo))
      const l = ids.filter((i) => ((rows[i] as number[])[f] as number) < t)
      const r = ids.filter((i) => ((rows[i] as number[])[f] as number) >= t)
      feature[node] = f
      value[node] = t
      los[node] = lo
      his[node] = hi
      // Pre-order: the left child is always node + 1.
      grow(l, depth + 1)
      right[node] = grow(r, depth + 1)
      return node
    }
    return node
  }
  grow(idx, 0)
  return { feature, value, lo: los, hi: his, right }
}

/** The `isolation-forest` detector; see the module documentation. */
export class IsolationForestDetector implements Model<StreamPoint, AnomalyOutput> {
  readonly family = FAMILY
  readonly kind = 'anomaly' as const
  private s: State
  private forest: Forest | null = null
  private calib = { median: 0, scale: 1 }

  constructor(
    readonly params: IsolationForestParams,
    state?: State,
  ) {
    this.s = state ?? { buffer: new VectorBuffer(params.trainSize), trained: null }
    if (this.s.trained) this.build(this.s.trained)
  }

  get fitted(): boolean {
    return this.s.trained !== null
  }

  describe(): ModelDescription {
    return {
      family: FAMILY,
      kind: 'anomaly',
      summary: 'Isolation forest over feature vectors, calibrated on its training scores',
      params: { ...this.params },
      signature: { inputs: (this.s.trained?.names ?? []).map((name) => ({ name, type: 'number' as const })), outputs: [{ name: 'score', type: 'number' }] },
    }
  }

  private build(t: Trained): void {
    const p = this.params
    const rng = new SeededRandom(t.seed)
    const psi = Math.min(p.sampleSize, t.rows.length)
    const maxDepth = Math.ceil(Math.log2(Math.max(2, psi)))
    const trees: Tree[] = []
    for (let k = 0; k < p.nTrees; k++) {
      // Subsample without replacement (partial Fisher–Yates).
      const all = Array.from({ length: t.rows.length }, (_, i) => i)
      for (let i = 0; i < psi; i++) {
        const j = i + rng.int(all.length - i)
        ;[all[i], all[j]] = [all[j] as number, all[i] as number]
      }
      trees.push(buildTree(t.rows, all.slice(0, psi), rng, maxDepth))
    }
    this.forest = packForest(trees, t.names.length)
    const raw = t.rows.map((r) => this.raw(r).score)
    const m = median(raw)
    this.calib = { median: m, scale: Math.max(MAD_TO_SD * mad(raw, m), 1e-3) }
  }

  private fitRows({ names, fill, rows }: ChosenRows, seed: number): void {
    if (names.length === 0) return
    const trained: Trained = { names, fill, rows, seed }
    this.s = { buffer: new VectorBuffer(this.params.trainSize), trained }
    this.build(trained)
  }

  fit(data: readonly StreamPoint[]): void {
    this.fitRows(
      chooseRows(data.map((d) => d.values)),
      this.params.seed,
    )
  }

  /** Raw isolation score of a row and the per-feature credit of its paths. */
  private raw(x: readonly number[]): { score: number; credit: number[] } {
    const psi = Math.min(this.params.sampleSize, this.s.trained?.rows.length ?? 0)
    const credit = new Array<number>(x.length).fill(0)
    let total = 0
    const path: number[] = []
    const t = this.forest
    const nTrees = t?.roots.length ?? 0
    for (let k = 0; k < nTrees && t; k++) {
      let node = t.roots[k] as number
      let depth = 0
      path.length = 0
      let h = -1
      while (node >= 0) {
        const f = t.feature[node] as number
        path.push(f)
        const xf = x[f] as number
        const lo = t.lo[node] as number
        const hi = t.hi[node] as number
        // Beyond the node's range by more than its width: this split would cut x off alone.
        if (xf > hi + (hi - lo) || xf < lo - (hi - lo)) {
          h = depth + 1
          break
        }
        node = xf < (t.value[node] as number) ? (t.left[node] as number) : (t.right[node] as number)
        depth++
      }
      // A leaf: its size is in the reference to it.
      if (h < 0) h = depth + avgPathLength(-1 - node)
      total += h
      // The split that finally isolated x gets the credit, the more the shorter its path.
      const last = path[path.length - 1]
      if (last !== undefined) credit[last] = (credit[last] as number) + 1 / Math.max(1, h)
    }
    const eh = total / Math.max(1, nTrees)
    return { score: 2 ** (-eh / Math.max(avgPathLength(psi), 1e-9)), credit }
  }

  predict(input: StreamPoint): AnomalyOutput {
    const t = this.s.trained
    if (!t) return quiet(true)
    const r = this.raw(toRow(input.values, t.names, t.fill))
    const z = (r.score - this.calib.median) / this.calib.scale
    const score = zToScore(z, this.params.zFree, this.params.zScale)
    if (score <= 0) return { score, contributions: {}, warmingUp: false }
    const credit: Record<string, number> = {}
    t.names.forEach((n, i) => (credit[n] = r.credit[i] as number))
    return { score, contributions: shares(byChannel(credit)), warmingUp: false }
  }

  update(input: StreamPoint): AnomalyOutput {
    const out = this.predict(input)
    if (!this.s.trained) {
      this.s.buffer.push(input.values)
      if (this.s.buffer.length >= this.params.trainSize) this.fitRows(this.s.buffer.choose(), this.params.seed)
    }
    return out
  }

  toJSON(): SerializedModel {
    return { family: FAMILY, formatVersion: FORMAT, params: { ...this.params }, state: { buffer: this.s.buffer.toJSON(), trained: clone(this.s.trained) } }
  }
}

export const isolationForestFamily: ModelFamily<StreamPoint, AnomalyOutput> = {
  family: FAMILY,
  kind: 'anomaly',
  create: (params) => new IsolationForestDetector(sharedParams(FAMILY, params, readParams)),
  fromJSON: (s) => {
    checkSerialized(s.formatVersion === 1 ? { ...s, formatVersion: FORMAT } : s, FAMILY, FORMAT)
    const st = s.state as { buffer?: unknown; trained?: Trained | null }
    if (st.buffer === undefined) throw new ModelFormatError("'isolation-forest' state needs a buffer")
    const params = sharedParams(FAMILY, s.params, readParams)
    return new IsolationForestDetector(params, { buffer: VectorBuffer.from(st.buffer, params.trainSize), trained: clone(st.trained ?? null) })
  },
}
families.register(isolationForestFamily)
