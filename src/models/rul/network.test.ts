import { describe, expect, it } from 'vitest'
import { tfjsTrainer } from '../runtime/tfjs.trainer.js'
import { flatWidth, forward, type NetworkSpec, type NetworkWeights } from './network.js'

describe('forward pass', () => {
  it('matches a hand computation: one convolution (kernel 2, 1 filter) then a linear output', () => {
    const spec: NetworkSpec = { windowCycles: 3, channels: 2, extras: 1, conv: [{ kernel: 2, filters: 1 }], dense: [] }
    // conv weight rows: (t0,c0) (t0,c1) (t1,c0) (t1,c1)
    const w: NetworkWeights = { conv: [{ w: [1, 0, 0, -1], b: [0.5] }], dense: [], out: { w: [2, 3, 10], b: [1] } }
    const window = [1, 2, 3, 4, 5, 6] // t0=(1,2) t1=(3,4) t2=(5,6)
    // conv at t=0: 1·1 − 1·4 + 0.5 = −2.5 → ReLU 0; at t=1: 3 − 6 + 0.5 = −2.5 → 0
    expect(forward(spec, w, window, [0.7])).toBeCloseTo(1 + 10 * 0.7, 12)
    const w2: NetworkWeights = { conv: [{ w: [0, 1, 1, 0], b: [0] }], dense: [], out: { w: [2, 3, 10], b: [1] } }
    // t=0: 2 + 3 = 5; t=1: 4 + 5 = 9 → 1 + 2·5 + 3·9 + 10·0.7
    expect(forward(spec, w2, window, [0.7])).toBeCloseTo(1 + 10 + 27 + 7, 12)
    expect(flatWidth(spec)).toBe(3)
  })

  it('applies ReLU in dense layers, not at the output', () => {
    const spec: NetworkSpec = { windowCycles: 1, channels: 2, extras: 0, conv: [], dense: [2] }
    const w: NetworkWeights = { conv: [], dense: [{ w: [1, -1, 1, -1], b: [0, 0] }], out: { w: [1, 1], b: [-5] } }
    // hidden = relu([x0 + x1, −x0 − x1]) = [3, 0]; out = 3 − 5
    expect(forward(spec, w, [1, 2], [])).toBeCloseTo(-2, 12)
  })
})

describe('tfjs-wasm trainer', () => {
  it('learns a window function whose weights the pure forward pass reproduces', async () => {
    // Target: mean of the last 3 cycles of channel 0 minus channel 1 at the first cycle — needs the convolution.
    const spec: NetworkSpec = { windowCycles: 6, channels: 2, extras: 0, conv: [{ kernel: 3, filters: 4 }], dense: [8] }
    const n = 512
    let s = 7
    const rand = (): number => {
      s = (s * 16807) % 2147483647
      return s / 2147483647
    }
    const windows = new Float32Array(n * 12)
    const targets = new Float32Array(n)
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < 12; j++) windows[i * 12 + j] = rand() * 2 - 1
      targets[i] = ((windows[i * 12 + 6] ?? 0) + (windows[i * 12 + 8] ?? 0) + (windows[i * 12 + 10] ?? 0)) / 3 - (windows[i * 12 + 1] ?? 0)
    }
    const losses: number[] = []
    const weights = await tfjsTrainer.train(spec, { n, windows, extras: new Float32Array(0), targets }, { epochs: 40, batchSize: 64, learningRate: 0.01, seed: 3 }, (_e, loss) => losses.push(loss))
    expect(losses).toHaveLength(40)
    expect(losses[39]).toBeLessThan((losses[0] ?? 0) / 5)
    let se = 0
    let var0 = 0
    for (let i = 0; i < n; i++) {
      const y = forward(spec, weights, windows.subarray(i * 12, i * 12 + 12), [])
      se += (y - (targets[i] ?? 0)) ** 2
      var0 += (targets[i] ?? 0) ** 2
    }
    // The pure pass on the exported weights explains most of the variance: tfjs's matMul-convolution and ours agree.
    expect(se / var0).toBeLessThan(0.2)
  })
})
