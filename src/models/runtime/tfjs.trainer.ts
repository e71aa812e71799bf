/**
 * Trains window networks (models/rul/network.ts) with TensorFlow.js on the wasm backend.
 * tfjs-node cannot install here and the wasm backend has no convolution gradients, so temporal
 * convolutions are written as a matMul over unfolded windows, which it does train.
 */
import * as tf from '@tensorflow/tfjs'
import '@tensorflow/tfjs-backend-wasm'
import { flatWidth, type LayerWeights, type NetworkSpec, type NetworkTrainer, type NetworkWeights, type TrainSettings, type TrainingSet } from '../rul/network.js'

let ready: Promise<void> | undefined

/** Selects the wasm backend once per process. */
export function tfjsReady(): Promise<void> {
  ready ??= (async () => {
    await tf.setBackend('wasm')
    await tf.ready()
  })()
  return ready
}

interface Vars {
  conv: { w: tf.Variable; b: tf.Variable }[]
  dense: { w: tf.Variable; b: tf.Variable }[]
  out: { w: tf.Variable; b: tf.Variable }
}

function layer(inputs: number, outputs: number, seed: number): { w: tf.Variable; b: tf.Variable } {
  // He initialisation for the ReLU layers.
  return {
    w: tf.variable(tf.randomNormal([inputs, outputs], 0, Math.sqrt(2 / inputs), 'float32', seed)),
    b: tf.variable(tf.zeros([outputs])),
  }
}

function predictTensor(spec: NetworkSpec, v: Vars, windows: tf.Tensor, extras: tf.Tensor): tf.Tensor {
  const batch = windows.shape[0] ?? 0
  let x = windows.reshape([batch, spec.windowCycles, spec.channels])
  let t = spec.windowCycles
  let c = spec.channels
  spec.conv.forEach((l, i) => {
    const tOut = t - l.kernel + 1
    const parts: tf.Tensor[] = []
    for (let j = 0; j < l.kernel; j++) parts.push(x.slice([0, j, 0], [batch, tOut, c]))
    const unfolded = tf.concat(parts, 2).reshape([batch * tOut, l.kernel * c])
    const w = v.conv[i]
    if (w === undefined) throw new Error(`missing convolution ${i}`)
    x = tf.relu(unfolded.matMul(w.w).add(w.b)).reshape([batch, tOut, l.filters])
    t = tOut
    c = l.filters
  })
  let h = x.reshape([batch, t * c])
  if (spec.extras > 0) h = tf.concat([h, extras.reshape([batch, spec.extras])], 1)
  for (const d of v.dense) h = tf.relu(h.matMul(d.w).add(d.b))
  return h.matMul(v.out.w).add(v.out.b).reshape([batch])
}

async function toLayer(l: { w: tf.Variable; b: tf.Variable }): Promise<LayerWeights> {
  return { w: Array.from(await l.w.data()), b: Array.from(await l.b.data()) }
}

/** Deterministic shuffle (mulberry32) so a seed reproduces a run. */
function shuffled(n: number, seed: number): Int32Array {
  let s = seed >>> 0
  const rand = (): number => {
    s = (s + 0x6d2b79f5) >>> 0
    let t = s
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  const idx = new Int32Array(n)
  for (let i = 0; i < n; i++) idx[i] = i
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1))
    const tmp = idx[i] ?? 0
    idx[i] = idx[j] ?? 0
    idx[j] = tmp
  }
  return idx
}

/** The tfjs-wasm trainer: Adam on mean squared (or absolute) error, mini-batches in a seeded order. */
export const tfjsTrainer: NetworkTrainer = {
  async train(spec: NetworkSpec, data: TrainingSet, settings: TrainSettings, onEpoch?: (epoch: number, loss: number) => void): Promise<NetworkWeights> {
    await tfjsReady()
    const winSize = spec.windowCycles * spec.channels
    let seed = settings.seed
    let c = spec.channels
    const vars: Vars = { conv: [], dense: [], out: layer(1, 1, 0) }
    vars.out.w.dispose()
    vars.out.b.dispose()
    for (const l of spec.conv) {
      vars.conv.push(layer(l.kernel * c, l.filters, seed++))
      c = l.filters
    }
    let width = flatWidth(spec)
    for (const units of spec.dense) {
      vars.dense.push(layer(width, units, seed++))
      width = units
    }
    vars.out = layer(width, 1, seed)
    const optimizer = tf.train.adam(settings.learningRate)
    const X = tf.tensor2d(data.windows, [data.n, winSize])
    const E = tf.tensor2d(spec.extras > 0 ? data.extras : new Float32Array(data.n), [data.n, Math.max(1, spec.extras)])
    const Y = tf.tensor1d(data.targets)
    try {
      for (let epoch = 0; epoch < settings.epochs; epoch++) {
        const order = tf.tensor1d(shuffled(data.n, settings.seed * 7919 + epoch), 'int32')
        let lossSum = 0
        let batches = 0
        for (let start = 0; start < data.n; start += settings.batchSize) {
          const size = Math.min(settings.batchSize, data.n - start)
          const loss: tf.Scalar = tf.tidy(() => {
            const idx = order.slice([start], [size])
            const xb = X.gather(idx)
            const eb = E.gather(idx)
            const yb = Y.gather(idx)
            const lossFn = settings.loss === 'mae' ? tf.losses.absoluteDifference : tf.losses.meanSquaredError
            return optimizer.minimize(() => lossFn(yb, predictTensor(spec, vars, xb, eb)) as tf.Scalar, true) ?? tf.scalar(0)
          })
          lossSum += (await loss.data())[0] ?? 0
          loss.dispose()
          batches++
        }
        order.dispose()
        onEpoch?.(epoch + 1, lossSum / Math.max(1, batches))
      }
      return {
        conv: await Promise.all(vars.conv.map(toLayer)),
        dense: await Promise.all(vars.dense.map(toLayer)),
        out: await toLayer(vars.out),
      }
    } finally {
      X.dispose()
      E.dispose()
      Y.dispose()
      optimizer.dispose()
      for (const l of [...vars.conv, ...vars.dense, vars.out]) {
        l.w.dispose()
        l.b.dispose()
      }
    }
  },
}

