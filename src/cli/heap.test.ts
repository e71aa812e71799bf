import { execFileSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { applyHeapGrowingPercent, growingPercentFor } from './heap.js'

const HEAP_TS = fileURLToPath(new URL('./heap.ts', import.meta.url))

/**
 * Peak heap in use of a child node process that applies `percent`, then keeps ~100 MB live
 * while it allocates objects that live a little while (as pipeline batches do) and die.
 */
function peakHeapMb(percent: number, targetMb = 0, otherHeapsMb = 0): number {
  const program = `
    import { followHeapBudget } from ${JSON.stringify(HEAP_TS)}
    followHeapBudget(${percent}, ${targetMb}, { execArgv: [], nodeOptions: '', otherHeapsBytes: () => ${otherHeapsMb} * 2 ** 20 })
    const live = []
    for (let i = 0; i < 1e6; i++) live.push({ a: i, b: String(i) })
    let peak = 0
    let batch = []
    for (let r = 0; r < 300; r++) {
      for (let i = 0; i < 20000; i++) batch.push({ x: i, y: [i, i + 1], z: 'k' + i })
      if (batch.length > 200000) batch = []
      peak = Math.max(peak, process.memoryUsage().heapUsed)
    }
    process.stdout.write(String(Math.round(peak / 2 ** 20) + live.length * 0))
  `
  return Number(execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', program], { encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } }))
}

describe('applyHeapGrowingPercent', () => {
  it("leaves V8's policy alone at 0, and an explicit node flag wins over the setting", () => {
    expect(applyHeapGrowingPercent(0, [], '')).toBeNull()
    expect(applyHeapGrowingPercent(50, ['--heap-growing-percent=20'], '')).toBeNull()
    expect(applyHeapGrowingPercent(50, [], '--max-old-space-size=512 --heap_growing_percent=20')).toBeNull()
  })

  it('holds the heap in use near the live data where V8 alone lets it swing far above', () => {
    const own = peakHeapMb(0)
    const bounded = peakHeapMb(30)
    // ~100 MB live plus at most one batch generation: V8's own factor lets it reach ~2–4×.
    expect(bounded).toBeLessThan(own * 0.7)
    expect(bounded).toBeLessThan(250)
  }, 60_000)

  it('lets a live heap well under the target grow towards it, and no further', () => {
    const floorOnly = peakHeapMb(30)
    const withTarget = peakHeapMb(30, 400)
    // ~100 MB live: the target allows ~4×, so full collections come later and the peak rises…
    expect(withTarget).toBeGreaterThan(floorOnly * 1.3)
    // …but stays near the target: the limit is set from the live data at the last full collection.
    expect(withTarget).toBeLessThan(400 + 100)
    // Another heap of the process (the scoring worker's) using most of the target leaves this one the floor.
    const shared = peakHeapMb(30, 400, 300)
    expect(shared).toBeLessThan(withTarget * 0.8)
  }, 90_000)
})

describe('growingPercentFor', () => {
  const MB = 2 ** 20
  it('gives a small heap the room up to the target, a large one the floor, and never more than 4×', () => {
    expect(growingPercentFor(200 * MB, 50, 400 * MB)).toBe(100)
    expect(growingPercentFor(300 * MB, 50, 400 * MB)).toBe(50)
    expect(growingPercentFor(900 * MB, 50, 400 * MB)).toBe(50)
    expect(growingPercentFor(20 * MB, 50, 400 * MB)).toBe(300)
    expect(growingPercentFor(20 * MB, 50, 0)).toBe(50)
    // A floor above 4× is the operator's explicit choice and stays.
    expect(growingPercentFor(20 * MB, 500, 400 * MB)).toBe(500)
  })
})
