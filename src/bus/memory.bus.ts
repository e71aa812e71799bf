import type { Bus, BusBatchHandler, BusEvent, BusHandler, BusTopics, Subscription, Topic, TopicStats } from '../pipeline/bus.js'
import { DEFAULT_BUS_BATCH_MESSAGES, TOPICS } from '../pipeline/bus.js'

/** Default capacity of a topic, in its producer's units (readings for `readings`): about two seconds of ingest at full speed. */
export const DEFAULT_TOPIC_CAPACITY = 4_000_000

export interface MemoryBusOptions {
  /** Capacity per topic; topics not named get `DEFAULT_TOPIC_CAPACITY`. */
  capacity?: Partial<Record<Topic, number>>
  onEvent?: (e: BusEvent) => void
}

interface Entry {
  msg: unknown
  units: number
  /** Groups that have not acknowledged it yet. */
  remaining: number
}

interface Group {
  name: string
  /** Takes one message (batch 0), or a list of up to `batch` messages. */
  handler: (msg: unknown) => void | Promise<void>
  batch: number
  queue: Entry[]
  head: number
  running: boolean
  closed: boolean
}

class TopicState {
  readonly groups = new Map<string, Group>()
  pending = 0
  published = 0
  failed = 0
  roomWaiters: (() => void)[] = []
  drainWaiters: (() => void)[] = []

  constructor(readonly capacity: number) {}
}

/**
 * The in-process bus: per topic, a queue per consumer group holding references to the
 * published messages (no copies). Handlers run on the event loop, after the publisher's
 * turn, one message at a time per group; different groups advance independently. Memory
 * is bounded by the capacity, as long as producers respect `saturated()` / `waitForRoom()`
 * (ingest does: HTTP answers 503, MQTT and in-process callers wait).
 *
 * @example
 * const bus = new MemoryBus({ capacity: { readings: 1_000_000 } })
 * bus.subscribe('readings', 'features', (m) => stage.handle(m))
 * await bus.waitForRoom('readings')
 * await bus.publish('readings', msg, msg.batch.length)
 */
export class MemoryBus implements Bus {
  private readonly topics = new Map<Topic, TopicState>()
  private closed = false
  private readonly running = new Set<Promise<void>>()

  constructor(private readonly opts: MemoryBusOptions = {}) {
    for (const t of TOPICS) {
      const capacity = opts.capacity?.[t] ?? DEFAULT_TOPIC_CAPACITY
      if (!(capacity >= 1)) throw new RangeError(`bus capacity of topic '${t}' must be ≥ 1, got ${capacity}`)
      this.topics.set(t, new TopicState(capacity))
    }
  }

  private topic(t: Topic): TopicState {
    return this.topics.get(t)!
  }

  publish<T extends Topic>(topic: T, msg: BusTopics[T], units = 1): Promise<void> {
    const s = this.topic(topic)
    if (this.closed || s.groups.size === 0) return Promise.resolve()
    const entry: Entry = { msg, units, remaining: s.groups.size }
    const wasSaturated = s.pending >= s.capacity
    s.pending += units
    s.published++
    if (!wasSaturated && s.pending >= s.capacity) this.opts.onEvent?.({ type: 'saturated', topic, pending: s.pending })
    for (const g of s.groups.values()) {
      g.queue.push(entry)
      this.schedule(topic, s, g)
    }
    return Promise.resolve()
  }

  subscribe<T extends Topic>(topic: T, group: string, handler: BusHandler<T>): Subscription {
    return this.join(topic, group, handler as (msg: unknown) => void | Promise<void>, 0)
  }

  subscribeBatch<T extends Topic>(topic: T, group: string, handler: BusBatchHandler<T>, maxMessages = DEFAULT_BUS_BATCH_MESSAGES): Subscription {
    if (!(Number.isInteger(maxMessages) && maxMessages >= 1)) throw new RangeError(`maxMessages must be an integer ≥ 1, got ${maxMessages}`)
    // A bound of one still hands over lists: the handler's type does not change with the bound.
    return this.join(topic, group, handler as (msg: unknown) => void | Promise<void>, maxMessages)
  }

  /** `batch` 0: one message per call; else lists of at most `batch`. */
  private join(topic: Topic, group: string, handler: (msg: unknown) => void | Promise<void>, batch: number): Subscription {
    const s = this.topic(topic)
    if (s.groups.has(group)) throw new Error(`consumer group '${group}' of topic '${topic}' already has a handler`)
    const g: Group = { name: group, handler, batch, queue: [], head: 0, running: false, closed: false }
    s.groups.set(group, g)
    return {
      unsubscribe: () => {
        if (g.closed) return
        g.closed = true
        s.groups.delete(group)
        // What it had not handled no longer waits for it.
        for (let i = g.head; i < g.queue.length; i++) this.ack(s, g.queue[i]!)
        g.queue = []
        g.head = 0
      },
    }
  }

  hasSubscribers(topic: Topic): boolean {
    return !this.closed && this.topic(topic).groups.size > 0
  }

  saturated(topic: Topic): boolean {
    const s = this.topic(topic)
    return s.pending >= s.capacity
  }

  waitForRoom(topic: Topic): Promise<void> {
    const s = this.topic(topic)
    if (s.pending < s.capacity || this.closed) return Promise.resolve()
    return new Promise((resolve) => s.roomWaiters.push(resolve))
  }

  drain(): Promise<void> {
    const waits: Promise<void>[] = []
    for (const s of this.topics.values()) if (s.pending > 0) waits.push(new Promise((resolve) => s.drainWaiters.push(resolve)))
    // A handler may publish downstream while its own message is acked: drain again until all are empty.
    return waits.length === 0 ? Promise.resolve() : Promise.all(waits).then(() => this.drain())
  }

  stats(topic: Topic): TopicStats {
    const s = this.topic(topic)
    return { pending: s.pending, capacity: s.capacity, published: s.published, failed: s.failed, groups: s.groups.size }
  }

  /** Stops delivery; waits for handlers in progress, at most `timeoutMs` (a stuck stage must not hold up shutdown). */
  async close(timeoutMs = 10_000): Promise<void> {
    this.closed = true
    const deadline = Date.now() + timeoutMs
    while (this.running.size > 0 && Date.now() < deadline) {
      await Promise.race([Promise.all([...this.running]), new Promise((r) => setTimeout(r, Math.max(1, deadline - Date.now())).unref())])
    }
    for (const s of this.topics.values()) {
      for (const w of s.roomWaiters.splice(0)) w()
      for (const w of s.drainWaiters.splice(0)) w()
    }
  }

  private schedule(topic: Topic, s: TopicState, g: Group): void {
    if (g.running || g.closed) return
    g.running = true
    const run = this.run(topic, s, g)
    this.running.add(run)
    void run.finally(() => this.running.delete(run))
  }

  /** Handles the group's queue in order until it is empty. */
  private async run(topic: Topic, s: TopicState, g: Group): Promise<void> {
    // After the publisher's turn: ingest answers its caller before features are computed.
    await new Promise<void>((r) => setImmediate(r))
    while (!g.closed && !this.closed && g.head < g.queue.length) {
      // One entry, or (batch groups) the list of those waiting, up to the bound.
      const n = g.batch === 0 ? 1 : Math.min(g.batch, g.queue.length - g.head)
      const entry = g.queue[g.head]!
      const entries = g.batch === 0 ? null : g.queue.slice(g.head, g.head + n)
      for (let i = 0; i < n; i++) g.queue[g.head++] = undefined as unknown as Entry
      if (g.head > 1024 && g.head * 2 > g.queue.length) {
        g.queue = g.queue.slice(g.head)
        g.head = 0
      }
      try {
        const r = g.handler(entries ? entries.map((e) => e.msg) : entry.msg)
        if (r) await r
      } catch (error) {
        s.failed += n
        this.opts.onEvent?.({ type: 'failed', topic, group: g.name, error })
      }
      if (entries) for (const e of entries) this.ack(s, e)
      else this.ack(s, entry)
    }
    g.running = false
    // Closed mid-run: what is left is acknowledged so that waiters are released.
    if (this.closed) {
      for (let i = g.head; i < g.queue.length; i++) this.ack(s, g.queue[i]!)
      g.queue = []
      g.head = 0
    } else if (g.head < g.queue.length) this.schedule(topic, s, g)
  }

  private ack(s: TopicState, e: Entry): void {
    if (--e.remaining > 0) return
    s.pending -= e.units
    if (s.pending < s.capacity && s.roomWaiters.length > 0) for (const w of s.roomWaiters.splice(0)) w()
    if (s.pending === 0 && s.drainWaiters.length > 0) for (const w of s.drainWaiters.splice(0)) w()
  }
}
