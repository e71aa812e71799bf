/**
 * A small window network in plain arrays: optional temporal convolutions (valid padding, ReLU)
 * over a [cycles × channels] window, then dense ReLU layers over the flattened result plus extra
 * scalar inputs, then one linear output. Training happens elsewhere (a `NetworkTrainer`, e.g. the
 * tfjs-wasm one in models/runtime); prediction is this pure forward pass, so a serialized model
 * needs nothing but its weights.
 */

/** Shape of a window network. */
export interface NetworkSpec {
  readonly windowCycles: number
  readonly channels: number
  /** Scalar inputs appended after the convolutions (e.g. the cycle count). */
  readonly extras: number
  readonly conv: readonly { readonly kernel: number; readonly filters: number }[]
  readonly dense: readonly number[]
}

/** One layer's weights, `w` row-major [inputs × outputs]. */
export interface LayerWeights {
  readonly w: number[]
  readonly b: number[]
}

/** Everything a forward pass needs. */
export interface NetworkWeights {
  readonly conv: LayerWeights[]
  readonly dense: LayerWeights[]
  readonly out: LayerWeights
}

/** Training settings a trainer honours. */
export interface TrainSettings {
  readonly epochs: number
  readonly batchSize: number
  readonly learningRate: number
  readonly seed: number
  /** Training loss: squared error (default) or absolute error (a median forecast, as MAE rewards). */
  readonly loss?: 'mse' | 'mae'
}

/** A batch of training samples: `windows` is n × windowCycles × channels, time-major; `extras` n × extras. */
export interface TrainingSet {
  readonly n: number
  readonly windows: Float32Array
  readonly extras: Float32Array
  readonly targets: Float32Array
}

/** Port: fits a network's weights (implemented by models/runtime/tfjs.trainer.ts). */
export interface NetworkTrainer {
  train(spec: NetworkSpec, data: TrainingSet, settings: TrainSettings, onEpoch?: (epoch: number, loss: number) => void): Promise<NetworkWeights>
}

/** Width of the flattened layer after the convolutions. */
export function flatWidth(spec: NetworkSpec): number {
  let t = spec.windowCycles
  let c = spec.channels
  for (const l of spec.conv) {
    t = t - l.kernel + 1
    c = l.filters
  }
  if (t < 1) throw new Error(`window of ${spec.windowCycles} cycles is shorter than the convolution kernels`)
  return t * c + spec.extras
}

/** Output of the network for one window (time-major, windowCycles × channels) and its extras. */
export function forward(spec: NetworkSpec, weights: NetworkWeights, window: ArrayLike<number>, extras: ArrayLike<number>): number {
  let x: ArrayLike<number> = window
  let t = spec.windowCycles
  let c = spec.channels
  spec.conv.forEach((layer, li) => {
    const lw = weights.conv[li]
    if (lw === undefined) throw new Error(`missing weights of convolution ${li}`)
    const tOut = t - layer.kernel + 1
    const f = layer.filters
    const y = new Float64Array(tOut * f)
    for (let to = 0; to < tOut; to++) {
      for (let o = 0; o < f; o++) y[to * f + o] = lw.b[o] ?? 0
      // The unfolded input row (kernel × channels) is contiguous in time-major layout.
      const base = to * c
      for (let i = 0; i < layer.kernel * c; i++) {
        const v = x[base + i] ?? 0
        if (v === 0) continue
        const wr = i * f
        for (let o = 0; o < f; o++) y[to * f + o] = (y[to * f + o] ?? 0) + v * (lw.w[wr + o] ?? 0)
      }
      for (let o = 0; o < f; o++) if ((y[to * f + o] ?? 0) < 0) y[to * f + o] = 0
    }
    x = y
    t = tOut
    c = f
  })
  let h: number[] = [...Array.from(x), ...Array.from(extras)]
  for (const lw of weights.dense) h = dense(h, lw, true)
  return dense(h, weights.out, false)[0] ?? 0
}

function dense(x: readonly number[], lw: LayerWeights, relu: boolean): number[] {
  const outs = lw.b.length
  const y = [...lw.b]
  for (let i = 0; i < x.length; i++) {
    const v = x[i] ?? 0
    if (v === 0) continue
    const wr = i * outs
    for (let o = 0; o < outs; o++) y[o] = (y[o] ?? 0) + v * (lw.w[wr + o] ?? 0)
  }
  return relu ? y.map((v) => (v > 0 ? v : 0)) : y
}
