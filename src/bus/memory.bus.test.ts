import { describe, expect, it } from 'vitest'
import type { AlertsMessage, BusEvent } from '../pipeline/bus.js'
import { MemoryBus } from './memory.bus.js'

const msg = (n: number): AlertsMessage => ({ tenantId: 't', alerts: [{ assetId: `a${n}`, ts: n, source: 's', severity: 'info', state: 'open', message: String(n) }] })
const id = (m: AlertsMessage): number => m.alerts[0]!.ts
const tick = (): Promise<void> => new Promise((r) => setImmediate(r))

/** A promise with its resolver, to hold a handler until the test lets it go. */
function gate(): { wait: Promise<void>; open: () => void } {
  let open!: () => void
  const wait = new Promise<void>((r) => (open = r))
  return { wait, open }
}

describe('MemoryBus', () => {
  it('delivers every message to every group, in publish order, after the publisher’s turn', async () => {
    const bus = new MemoryBus()
    const a: number[] = []
    const b: number[] = []
    bus.subscribe('alerts', 'a', (m) => void a.push(id(m)))
    bus.subscribe('alerts', 'b', async (m) => {
      await new Promise((r) => setTimeout(r, 1))
      b.push(id(m))
    })
    for (let i = 0; i < 5; i++) await bus.publish('alerts', msg(i))
    expect(a).toEqual([]) // not in the publisher's turn
    await bus.drain()
    expect(a).toEqual([0, 1, 2, 3, 4])
    expect(b).toEqual([0, 1, 2, 3, 4])
    expect(bus.stats('alerts')).toMatchObject({ pending: 0, published: 5, groups: 2 })
  })

  it('hands a batch subscriber what waits, in order, at most maxMessages at a time, and acknowledges a batch when its handler resolves', async () => {
    const bus = new MemoryBus({ capacity: { alerts: 100 } })
    const batches: number[][] = []
    const held = gate()
    bus.subscribeBatch(
      'alerts',
      'g',
      async (ms) => {
        batches.push(ms.map(id))
        if (batches.length === 1) await held.wait
      },
      3,
    )
    await bus.publish('alerts', msg(0), 10)
    await tick()
    // The first message is being handled alone; the next ones queue behind it.
    for (let i = 1; i < 6; i++) await bus.publish('alerts', msg(i), 10)
    await tick()
    expect(batches).toEqual([[0]])
    expect(bus.stats('alerts').pending).toBe(60)
    held.open()
    await bus.drain()
    expect(batches).toEqual([[0], [1, 2, 3], [4, 5]])
    expect(bus.stats('alerts')).toMatchObject({ pending: 0, published: 6 })
  })

  it('counts every message of a failed batch as failed, and goes on', async () => {
    const events: BusEvent[] = []
    const bus = new MemoryBus({ onEvent: (e) => events.push(e) })
    const seen: number[] = []
    bus.subscribeBatch('alerts', 'g', (ms) => {
      seen.push(...ms.map(id))
      if (ms.some((m) => id(m) === 1)) throw new Error('boom')
    })
    for (let i = 0; i < 3; i++) await bus.publish('alerts', msg(i))
    await bus.drain()
    expect(seen).toEqual([0, 1, 2])
    expect(bus.stats('alerts')).toMatchObject({ pending: 0, failed: 3 })
    expect(events.filter((e) => e.type === 'failed')).toHaveLength(1)
    expect(() => bus.subscribeBatch('alerts', 'h', () => undefined, 0)).toThrow(RangeError)
  })

  it('handles one message at a time per group', async () => {
    const bus = new MemoryBus()
    let running = 0
    let most = 0
    bus.subscribe('alerts', 'g', async () => {
      most = Math.max(most, ++running)
      await new Promise((r) => setTimeout(r, 2))
      running--
    })
    for (let i = 0; i < 4; i++) await bus.publish('alerts', msg(i))
    await bus.drain()
    expect(most).toBe(1)
  })

  it('drops messages of a topic nobody subscribes to, and says so through hasSubscribers', async () => {
    const bus = new MemoryBus({ capacity: { alerts: 1 } })
    expect(bus.hasSubscribers('alerts')).toBe(false)
    await bus.publish('alerts', msg(1), 10)
    expect(bus.stats('alerts').pending).toBe(0)
    expect(bus.saturated('alerts')).toBe(false)
  })

  it('is saturated while unacknowledged units reach the capacity; waitForRoom resolves when a slow group catches up', async () => {
    const events: BusEvent[] = []
    const bus = new MemoryBus({ capacity: { alerts: 10 }, onEvent: (e) => events.push(e) })
    const g = gate()
    const fast: number[] = []
    bus.subscribe('alerts', 'fast', (m) => void fast.push(id(m)))
    bus.subscribe('alerts', 'slow', () => g.wait)
    await bus.publish('alerts', msg(1), 6)
    expect(bus.saturated('alerts')).toBe(false)
    await bus.publish('alerts', msg(2), 6)
    expect(bus.saturated('alerts')).toBe(true)
    expect(events).toEqual([{ type: 'saturated', topic: 'alerts', pending: 12 }])
    let roomAt = 0
    const room = bus.waitForRoom('alerts').then(() => (roomAt = bus.stats('alerts').pending))
    await tick()
    await tick()
    // The fast group is done; the slow one still holds both: still saturated.
    expect(fast).toEqual([1, 2])
    expect(bus.saturated('alerts')).toBe(true)
    expect(roomAt).toBe(0)
    g.open()
    await room
    expect(roomAt).toBeLessThan(10)
    await bus.drain()
    expect(bus.stats('alerts').pending).toBe(0)
  })

  it('a handler that throws is reported and its message acknowledged; the group goes on', async () => {
    const events: BusEvent[] = []
    const bus = new MemoryBus({ onEvent: (e) => events.push(e) })
    const seen: number[] = []
    bus.subscribe('alerts', 'g', (m) => {
      if (id(m) === 1) throw new Error('boom')
      seen.push(id(m))
    })
    for (let i = 0; i < 3; i++) await bus.publish('alerts', msg(i))
    await bus.drain()
    expect(seen).toEqual([0, 2])
    expect(bus.stats('alerts').failed).toBe(1)
    expect(events.filter((e) => e.type === 'failed')).toHaveLength(1)
  })

  it('unsubscribing releases what the group still held', async () => {
    const bus = new MemoryBus({ capacity: { alerts: 5 } })
    const g = gate()
    const sub = bus.subscribe('alerts', 'slow', () => g.wait)
    for (let i = 0; i < 6; i++) await bus.publish('alerts', msg(i))
    expect(bus.saturated('alerts')).toBe(true)
    await tick()
    sub.unsubscribe()
    // The message being handled stays counted until its handler ends.
    expect(bus.stats('alerts').pending).toBe(1)
    g.open()
    await bus.drain()
    expect(bus.stats('alerts')).toMatchObject({ pending: 0, groups: 0 })
  })

  it('refuses a second handler for the same group', () => {
    const bus = new MemoryBus()
    bus.subscribe('alerts', 'g', () => undefined)
    expect(() => bus.subscribe('alerts', 'g', () => undefined)).toThrow(/already has a handler/)
  })

  it('close lets the message in progress finish, then releases waiters', async () => {
    const bus = new MemoryBus({ capacity: { alerts: 1 } })
    const g = gate()
    let done = 0
    bus.subscribe('alerts', 'g', async () => {
      await g.wait
      done++
    })
    await bus.publish('alerts', msg(1))
    await bus.publish('alerts', msg(2))
    await tick()
    const waiting = bus.waitForRoom('alerts')
    const closing = bus.close()
    g.open()
    await closing
    await waiting
    expect(done).toBe(1)
    expect(bus.hasSubscribers('alerts')).toBe(false)
  })
})
