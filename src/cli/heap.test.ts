import { execFileSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { applyHeapGrowingPercent } from './heap.js'

const HEAP_TS = fileURLToPath(new URL('./heap.ts', import.meta.url))

/**
 * Peak heap in use of a child node process that applies `percent`, then keeps ~100 MB live
 * while it allocates objects that live a little while (as pipeline batches do) and die.
 */
function peakHeapMb(percent: number): number {
  const program = `
    import { applyHeapGrowingPercent } from ${JSON.stringify(HEAP_TS)}
    applyHeapGrowingPercent(${percent}, [], '')
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
})
