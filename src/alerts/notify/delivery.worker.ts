/**
 * Delivers the outbox: claims due items under a lease, sends each on its channel, and
 * records the outcome. Failures are retried with exponential backoff and full jitter;
 * after `maxAttempts` an item becomes a dead letter (listed and retried through the API).
 * Each item is sent on its own, so a slow or failing channel never holds up another;
 * per-channel rate limits defer items without counting an attempt. A process that dies
 * mid-delivery leaves its leases to expire, and the items are sent again with the same
 * idempotency key: a receiver that honours it applies each notification once.
 * Delivered items are deleted once past their retention (`retentionMs`), so the outbox
 * does not grow with every notification ever sent; dead letters are kept.
 */
import type { AlertStore } from '../alert.store.js'
import type { ChannelType, DeliveryOutcome, NotificationChannel, OutboxItem } from '../alert.types.js'
import { redactSecrets, type ChannelSender } from './channel.js'
import { DeliveryError } from './errors.js'

export interface DeliveryOptions {
  maxAttempts: number
  retryBaseMs: number
  retryMaxMs: number
  leaseMs: number
  pollMs: number
  timeoutMs: number
  /** Items sent at once, over all channels. */
  maxInFlight?: number
  /** Delivered items older than this are deleted from the outbox; 0 or absent = kept forever. */
  retentionMs?: number
  /** Dead letters of notifications created longer ago than this are deleted; 0 or absent = kept until retried. */
  deadLetterRetentionMs?: number
  /** How often the delivered items past their retention are deleted (default: hourly). */
  pruneEveryMs?: number
}

export type DeliveryEvent =
  | { type: 'delivered'; item: OutboxItem; channel: NotificationChannel; latencyMs: number }
  | { type: 'pruned'; status: 'delivered' | 'dead'; count: number; before: number }
  | { type: 'failed'; item: OutboxItem; channelId: string; error: string; dead: boolean; attempt: number }
  | { type: 'error'; error: unknown }

/** Delay before attempt `attempt + 1` (attempt counts from 1): base·2^(attempt−1), capped, with full jitter in [½, 1]. */
export function backoffMs(attempt: number, baseMs: number, maxMs: number, random: () => number = Math.random): number {
  const exp = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1))
  return Math.round(exp / 2 + (random() * exp) / 2)
}

/** A token bucket per channel: `perMin` tokens a minute, bursts up to `perMin`. */
class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>()
  /** 0 when the channel may send now (and takes a token), else ms until it may. */
  take(channelId: string, perMin: number, now: number): number {
    if (perMin <= 0) return 0
    let b = this.buckets.get(channelId)
    if (!b) this.buckets.set(channelId, (b = { tokens: perMin, at: now }))
    b.tokens = Math.min(perMin, b.tokens + ((now - b.at) * perMin) / 60_000)
    b.at = now
    if (b.tokens >= 1) {
      b.tokens -= 1
      return 0
    }
    return Math.ceil(((1 - b.tokens) * 60_000) / perMin)
  }
}

export class DeliveryWorker {
  private readonly senders: Map<ChannelType, ChannelSender>
  private readonly limiter = new RateLimiter()
  private readonly inFlight = new Set<Promise<void>>()
  private readonly queued: { item: OutboxItem; channel: NotificationChannel | null }[] = []
  private timer: NodeJS.Timeout | null = null
  private running = false
  private polling = false
  private again = false
  private readonly maxInFlight: number
  /** When delivered items were last pruned (by `now`). */
  private prunedAt = -Infinity

  constructor(
    private readonly store: AlertStore,
    senders: readonly ChannelSender[],
    private readonly opts: DeliveryOptions,
    private readonly onEvent: (e: DeliveryEvent) => void = () => undefined,
    private readonly now: () => number = Date.now,
  ) {
    this.senders = new Map(senders.map((s) => [s.type, s]))
    this.maxInFlight = opts.maxInFlight ?? 64
  }

  start(): void {
    if (this.running) return
    this.running = true
    this.schedule(0)
  }

  /** How long a fresh item stays leased to this worker (see submit). */
  get leaseMs(): number {
    return this.opts.leaseMs
  }

  /**
   * Fast path: items this process just committed, already leased to it (leaseUntil set at
   * commit), are sent at once without a claim round trip. Should this process die first,
   * the lease runs out and any worker claims them.
   */
  submit(items: readonly OutboxItem[], channels: ReadonlyMap<string, NotificationChannel>): void {
    if (!this.running) return
    for (const item of items) this.queued.push({ item, channel: channels.get(item.channelId) ?? null })
    this.drainQueued()
  }

  /** Starts queued fast-path items while there is room (the rest wait in memory, leased). */
  private drainQueued(): void {
    while (this.running && this.queued.length > 0 && this.inFlight.size < this.maxInFlight) {
      const { item, channel } = this.queued.shift()!
      const p = this.deliver(item, channel).finally(() => {
        this.inFlight.delete(p)
        this.drainQueued()
        if (this.running) this.kick()
      })
      this.inFlight.add(p)
    }
  }

  /** Claims at once (new items were just committed). */
  kick(): void {
    if (!this.running) return
    if (this.polling) this.again = true
    else this.schedule(0)
  }

  private schedule(ms: number): void {
    if (this.timer) clearTimeout(this.timer)
    this.timer = setTimeout(() => void this.poll(), ms)
    this.timer.unref()
  }

  /** One claim-and-send round; resolves when the claimed items were handed to their senders. */
  async poll(): Promise<void> {
    if (this.polling) {
      this.again = true
      return
    }
    this.polling = true
    try {
      do {
        this.again = false
        const room = this.maxInFlight - this.inFlight.size
        if (room <= 0) break
        const items = await this.store.claimDue(this.now(), this.opts.leaseMs, room)
        const channels = new Map<string, NotificationChannel | null>()
        for (const item of items) {
          const key = `${item.tenantId}\u0000${item.channelId}`
          if (!channels.has(key)) channels.set(key, await this.store.getChannel(item.tenantId, item.channelId))
          const p = this.deliver(item, channels.get(key) ?? null).finally(() => {
            this.inFlight.delete(p)
            // Room again: whatever was left due goes out now rather than at the next poll.
            if (this.running) this.kick()
          })
          this.inFlight.add(p)
        }
        if (items.length === room) this.again = true
      } while (this.again && this.running)
      await this.prune()
    } catch (err) {
      this.onEvent({ type: 'error', error: err })
    } finally {
      this.polling = false
      if (this.running) this.schedule(this.opts.pollMs)
    }
  }

  /** Deletes delivered items and dead letters past their retention, at most once per `pruneEveryMs`. */
  private async prune(): Promise<void> {
    const keep = this.opts.retentionMs ?? 0
    const keepDead = this.opts.deadLetterRetentionMs ?? 0
    const now = this.now()
    if ((keep <= 0 && keepDead <= 0) || now - this.prunedAt < (this.opts.pruneEveryMs ?? 3_600_000)) return
    this.prunedAt = now
    if (keep > 0) {
      const count = await this.store.pruneDelivered(now - keep)
      if (count > 0) this.onEvent({ type: 'pruned', status: 'delivered', count, before: now - keep })
    }
    if (keepDead > 0) {
      const count = await this.store.pruneDead(now - keepDead)
      if (count > 0) this.onEvent({ type: 'pruned', status: 'dead', count, before: now - keepDead })
    }
  }

  private async deliver(item: OutboxItem, channel: NotificationChannel | null): Promise<void> {
    const attempt = item.attempts + 1
    try {
      if (!channel) throw new DeliveryError(`channel '${item.channelId}' no longer exists`, true)
      if (!channel.enabled) {
        // Held until the channel is enabled again (or the item is retried from the dead letters).
        await this.store.markFailed(item.id, 'channel disabled', this.now() + 60_000, false, false)
        return
      }
      const wait = this.limiter.take(channel.id, channel.rateLimitPerMin, this.now())
      if (wait > 0) {
        await this.store.markFailed(item.id, 'rate limited', this.now() + wait, false, false)
        return
      }
      const started = this.now()
      await this.send(item, channel)
      await this.store.markDelivered(item.id, this.now())
      this.onEvent({ type: 'delivered', item, channel, latencyMs: this.now() - started })
    } catch (err) {
      const text = err instanceof Error ? err.message : String(err)
      const message = channel ? redactSecrets(text, channel) : text
      const dead = (err instanceof DeliveryError && err.permanent) || attempt >= this.opts.maxAttempts
      const next = this.now() + backoffMs(attempt, this.opts.retryBaseMs, this.opts.retryMaxMs)
      try {
        await this.store.markFailed(item.id, message, next, dead)
      } catch (storeErr) {
        // The lease runs out and the item is claimed again: nothing is lost.
        this.onEvent({ type: 'error', error: storeErr })
      }
      this.onEvent({ type: 'failed', item, channelId: item.channelId, error: message, dead, attempt })
    }
  }

  /** One send on the channel's sender, given up after the delivery timeout. */
  private async send(item: OutboxItem, channel: NotificationChannel): Promise<void> {
    const sender = this.senders.get(channel.type)
    if (!sender) throw new DeliveryError(`no sender for channel type '${channel.type}'`, true)
    await sender.send(item, channel, AbortSignal.timeout(this.opts.timeoutMs))
  }

  /**
   * Sends `item` on `channel` now, outside the outbox (a test from the settings page): nothing
   * stored, no retry, no rate limit, sent even while the channel is disabled. Never throws:
   * a failure is the outcome.
   */
  async sendNow(item: OutboxItem, channel: NotificationChannel): Promise<DeliveryOutcome> {
    const started = this.now()
    try {
      await this.send(item, channel)
      return { ok: true, latencyMs: this.now() - started }
    } catch (err) {
      const latencyMs = this.now() - started
      const reason = redactSecrets(err instanceof Error ? err.message : String(err), channel)
      return { ok: false, code: 'NOTIFY_DELIVERY_FAILED', reason, permanent: err instanceof DeliveryError && err.permanent, latencyMs }
    }
  }

  /** Stops claiming; waits (up to `waitMs`) for the deliveries in flight. */
  async stop(waitMs = 5000): Promise<void> {
    this.running = false
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
    await Promise.race([Promise.allSettled([...this.inFlight]), new Promise((r) => setTimeout(r, waitMs).unref())])
    for (const s of this.senders.values()) await s.close?.()
  }
}
