import type { Logger } from '../../logger.js'
import type { IngestResult } from '../../pipeline/ingest.service.js'
import type { MetaStore } from '../../store/ports.js'
import { BatchRefusedError, type RecordRefusal } from '../errors.js'
import { AssetAccess, DEFAULT_ACL_CACHE_ENTRIES, DEFAULT_ACL_CACHE_MS, DEFAULT_ACL_NEGATIVE_CACHE_MS, type AccessDecision } from './asset.access.js'
import {
  MqttIngestFailedError,
  MqttPayloadMalformedError,
  MqttPayloadNotJsonError,
  MqttPayloadTooLargeError,
  MqttRecordsRefusedError,
  MqttTopicDeniedError,
  MqttTopicInvalidError,
  toReport,
  type MqttBadInputError,
  type MqttDeniedError,
  type MqttErrorReport,
} from './errors.js'
import { MqttIngestStats, type MqttIngestEvent } from './events.js'
import { parseTelemetryPayload, type TelemetryPayload } from './payload.parse.js'
import { parseTelemetryTopic } from './topics.js'

/** Messages being parsed or waiting for their commit, per broker; more wait for a slot (and are not acknowledged meanwhile). */
export const DEFAULT_MAX_IN_FLIGHT = 8192
/** Payload bytes of the messages in flight, at most (one message is admitted whatever its size). */
export const DEFAULT_MAX_IN_FLIGHT_BYTES = 64 * 1024 * 1024
/** Largest payload parsed; larger ones are reported as MQTT_PAYLOAD_TOO_LARGE. */
export const DEFAULT_MAX_PAYLOAD_BYTES = 4 * 1024 * 1024

/** The part of IngestService the MQTT adapter needs. */
export interface MqttIngestSink {
  /**
   * Resolves once the accepted readings are durable; throws BatchRefusedError when none was
   * accepted. Reads `records` before it returns (the caller lets them go during the commit).
   */
  ingest(tenantId: string, records: readonly unknown[]): Promise<IngestResult>
  /** `maxRecords` bounds one ingest call. */
  parseOptions(): { maxRecords: number }
}

/** What became of one message; the transport turns it into an acknowledgement or a refusal. */
export type MessageOutcome =
  /** Stored (possibly with some records refused and reported): acknowledge. */
  | { kind: 'stored'; accepted: number; refused: number }
  /** Bad input, reported: acknowledge, since sending it again cannot help. */
  | { kind: 'rejected'; error: MqttBadInputError }
  /** Outside the publisher's rights, reported: refuse. */
  | { kind: 'denied'; error: MqttDeniedError }
  /** Not stored: do not acknowledge, so that it is delivered again. */
  | { kind: 'failed'; error: MqttIngestFailedError }

export interface TelemetryIngestorOptions {
  topicRoot: string
  maxInFlight: number
  maxInFlightBytes: number
  maxPayloadBytes: number
}

/** One message's records in a group: where they are, and whom to tell how they fared. */
interface Part {
  offset: number
  count: number
  tenantId: string
  topic: string
  /** From the payload's parsing (not its records: those go to the commit and are let go once read). */
  refused: readonly RecordRefusal[]
  index: readonly number[]
  onOutcome: (o: MessageOutcome) => void
}

interface Group {
  tenantId: string
  records: unknown[]
  parts: Part[]
}

/**
 * A counting semaphore that also bounds the payload bytes held. Waiters are served in
 * arrival order (a big message is not overtaken forever by small ones); one message is
 * always admitted when nothing is held, however big, so no message waits forever.
 */
class Slots {
  private used = 0
  private usedBytes = 0
  private waiters: { bytes: number; resolve: () => void }[] = []
  private head = 0

  constructor(
    readonly limit: number,
    readonly limitBytes: number,
    private readonly onSaturated: (used: number) => void,
  ) {}

  get inUse(): number {
    return this.used
  }

  get bytesInUse(): number {
    return this.usedBytes
  }

  private fits(bytes: number): boolean {
    return this.used < this.limit && (this.used === 0 || this.usedBytes + bytes <= this.limitBytes)
  }

  /** Undefined when a slot was free (no microtask needed), else a promise of one. */
  acquire(bytes: number): Promise<void> | undefined {
    if (this.head === this.waiters.length && this.fits(bytes)) {
      this.used++
      this.usedBytes += bytes
      return undefined
    }
    if (this.head === this.waiters.length) this.onSaturated(this.used)
    return new Promise((resolve) => this.waiters.push({ bytes, resolve }))
  }

  release(bytes: number): void {
    this.used--
    this.usedBytes -= bytes
    while (this.head < this.waiters.length && this.fits(this.waiters[this.head]!.bytes)) {
      const next = this.waiters[this.head++]!
      if (this.head === this.waiters.length) {
        this.waiters = []
        this.head = 0
      }
      this.used++
      this.usedBytes += next.bytes
      next.resolve()
    }
  }
}

const isBadInput = (err: unknown): err is MqttBadInputError =>
  err instanceof MqttPayloadNotJsonError || err instanceof MqttPayloadMalformedError || err instanceof MqttPayloadTooLargeError || err instanceof MqttRecordsRefusedError

/**
 * The transport-independent half of MQTT ingest, shared by the embedded broker and the
 * external-broker client: topic ACL → payload parsing → ingest → per-message outcome.
 *
 * Messages that arrive in the same event-loop turn are ingested together, one
 * IngestService call per tenant (up to `maxRecords` records), so a burst of small
 * messages costs one parse-and-commit instead of one per message. Each message's
 * promise resolves after the commit that holds its records.
 */
export class TelemetryIngestor {
  private readonly slots: Slots
  private readonly maxRecords: number
  private groups = new Map<string, Group>()
  private flushScheduled = false
  private busy = 0
  private idleWaiters: (() => void)[] = []

  constructor(
    private readonly sink: MqttIngestSink,
    private readonly acl: AssetAccess,
    private readonly emit: (e: MqttIngestEvent) => void,
    /** Publishes a report on the tenant's error topic; must not throw. */
    private readonly report: (tenantId: string, report: MqttErrorReport) => void,
    private readonly opts: TelemetryIngestorOptions,
  ) {
    this.slots = new Slots(opts.maxInFlight, opts.maxInFlightBytes, (inFlight) => emit({ type: 'saturated', inFlight }))
    this.maxRecords = sink.parseOptions().maxRecords
  }

  /** Messages holding a slot right now. */
  get inFlight(): number {
    return this.slots.inUse
  }

  /** Payload bytes of the messages holding a slot right now. */
  get inFlightBytes(): number {
    return this.slots.bytesInUse
  }

  /**
   * Takes an in-flight slot for a message of `bytes` payload bytes, waiting while the
   * message count or byte budget is used up. Pair with `release(bytes)`, same `bytes`.
   */
  admit(bytes = 0): Promise<void> | undefined {
    return this.slots.acquire(bytes)
  }

  release(bytes = 0): void {
    this.slots.release(bytes)
  }

  /**
   * Handles one telemetry message of `tenantId` (the caller holds a slot). Never rejects.
   * `clientId` names the publisher in events, when known.
   */
  process(tenantId: string, topic: string, payload: Buffer | string, clientId: string | null = null): Promise<MessageOutcome> {
    return new Promise((resolve) => this.receive(tenantId, topic, payload, clientId, undefined, resolve))
  }

  /**
   * `process` with callbacks: `onOutcome` is called exactly once, after the commit that holds
   * the message's records (or at once when the message is refused before one). `onQueued` is
   * called once the message passed the topic ACL and parsing and its records wait for a
   * commit (not for messages refused before that). No promise is made per message on the way
   * (a broker at tens of thousands of messages a second spends its time collecting them
   * otherwise); only a topic ACL lookup that misses the cache waits.
   */
  receive(tenantId: string, topic: string, payload: Buffer | string, clientId: string | null, onQueued: (() => void) | undefined, onOutcome: (o: MessageOutcome) => void): void {
    this.busy++
    let out: MessageOutcome
    try {
      const t = parseTelemetryTopic(topic, this.opts.topicRoot)
      if (!t) {
        out = this.deny(tenantId, topic, clientId, new MqttTopicInvalidError(topic, this.opts.topicRoot))
      } else {
        const checked = this.acl.check(tenantId, t.siteId, t.assetId)
        if (!(checked instanceof Promise)) return this.proceed(tenantId, topic, t.assetId, checked, payload, clientId, onQueued, onOutcome)
        checked.then(
          (decision) => this.proceed(tenantId, topic, t.assetId, decision, payload, clientId, onQueued, onOutcome),
          (err: unknown) => this.settle(this.fail(tenantId, topic, err), onOutcome),
        )
        return
      }
    } catch (err) {
      out = this.fail(tenantId, topic, err)
    }
    this.settle(out, onOutcome)
  }

  /** The message once its topic's ACL answered: refused and settled now, or queued for a commit. */
  private proceed(
    tenantId: string,
    topic: string,
    assetId: string,
    decision: AccessDecision,
    payload: Buffer | string,
    clientId: string | null,
    onQueued: (() => void) | undefined,
    onOutcome: (o: MessageOutcome) => void,
  ): void {
    let out: MessageOutcome | undefined
    try {
      if (!decision.ok) {
        out = this.deny(tenantId, topic, clientId, new MqttTopicDeniedError(topic, decision.reason))
      } else {
        const parsed = this.parse(tenantId, topic, assetId, payload)
        if ('kind' in parsed) {
          out = parsed
        } else if (parsed.records.length === 0) {
          out = parsed.refused.length > 0 ? this.reject(tenantId, topic, new MqttRecordsRefusedError(0, [...parsed.refused])) : { kind: 'stored', accepted: 0, refused: 0 }
        } else {
          this.submit(tenantId, topic, parsed, onOutcome)
          onQueued?.()
        }
      }
    } catch (err) {
      out = this.fail(tenantId, topic, err)
    }
    if (out) this.settle(out, onOutcome)
  }

  /** The payload's records, or the outcome of a payload refused whole (too large, not JSON, malformed). */
  private parse(tenantId: string, topic: string, assetId: string, payload: Buffer | string): TelemetryPayload | MessageOutcome {
    if (payload.length > this.opts.maxPayloadBytes) {
      return this.reject(tenantId, topic, new MqttPayloadTooLargeError(`the payload has ${payload.length} bytes; at most ${this.opts.maxPayloadBytes} are accepted per message`))
    }
    try {
      return parseTelemetryPayload(typeof payload === 'string' ? payload : payload.toString('utf8'), assetId, this.maxRecords)
    } catch (err) {
      if (isBadInput(err)) return this.reject(tenantId, topic, err)
      throw err
    }
  }

  /** Resolves when no message is being processed. */
  idle(): Promise<void> {
    return this.busy === 0 ? Promise.resolve() : new Promise((resolve) => this.idleWaiters.push(resolve))
  }

  /** Hands a message its outcome; a throwing callback is the caller's bug and must not stop the other messages of its commit. */
  private settle(outcome: MessageOutcome, onOutcome: (o: MessageOutcome) => void): void {
    if (--this.busy === 0) for (const w of this.idleWaiters.splice(0)) w()
    try {
      onOutcome(outcome)
    } catch (err) {
      queueMicrotask(() => {
        throw err
      })
    }
  }

  /** A message's outcome from its share of the commit: its records refused by the ingest (re-indexed to the payload) with those refused in parsing. */
  private completed(p: Part, refusedHere: RecordRefusal[]): MessageOutcome {
    const accepted = p.count - refusedHere.length
    if (refusedHere.length === 0 && p.refused.length === 0) return { kind: 'stored', accepted, refused: 0 }
    const refused = [...p.refused, ...refusedHere.map((r) => ({ ...r, index: p.index[r.index] ?? r.index }))].sort((a, b) => a.index - b.index)
    const error = new MqttRecordsRefusedError(accepted, refused)
    if (accepted === 0) return this.reject(p.tenantId, p.topic, error)
    this.publishReport(p.tenantId, p.topic, error)
    return { kind: 'stored', accepted, refused: refused.length }
  }

  private deny(tenantId: string, topic: string, clientId: string | null, error: MqttDeniedError): MessageOutcome {
    const report = toReport(topic, error)
    this.emit({ type: 'denied', tenantId, clientId, report })
    this.report(tenantId, report)
    return { kind: 'denied', error }
  }

  private reject(tenantId: string, topic: string, error: MqttBadInputError): MessageOutcome {
    this.publishReport(tenantId, topic, error)
    return { kind: 'rejected', error }
  }

  private fail(tenantId: string, topic: string, cause: unknown): MessageOutcome {
    const error = cause instanceof MqttIngestFailedError ? cause : new MqttIngestFailedError({ cause })
    this.emit({ type: 'failed', tenantId, topic, error })
    return { kind: 'failed', error }
  }

  private publishReport(tenantId: string, topic: string, error: MqttBadInputError): void {
    const report = toReport(topic, error)
    this.emit({ type: 'rejected', tenantId, report })
    this.report(tenantId, report)
  }

  /** Queues a message's records for the tenant's next ingest call; its outcome comes after that call. */
  private submit(tenantId: string, topic: string, parsed: TelemetryPayload, onOutcome: (o: MessageOutcome) => void): void {
    const records = parsed.records
    let g = this.groups.get(tenantId)
    if (g && g.records.length + records.length > this.maxRecords) {
      this.groups.delete(tenantId)
      void this.flush(g)
      g = undefined
    }
    if (!g) {
      g = { tenantId, records: [], parts: [] }
      this.groups.set(tenantId, g)
    }
    g.parts.push({ offset: g.records.length, count: records.length, tenantId, topic, refused: parsed.refused, index: parsed.index, onOutcome })
    for (const r of records) g.records.push(r)
    if (!this.flushScheduled) {
      this.flushScheduled = true
      // After the current turn: every message parsed from the sockets' reads by then joins.
      setImmediate(this.flushAll)
    }
  }

  private readonly flushAll = (): void => {
    this.flushScheduled = false
    const groups = this.groups
    this.groups = new Map()
    for (const g of groups.values()) void this.flush(g)
  }

  private async flush(g: Group): Promise<void> {
    let result: IngestResult
    try {
      const committed = this.sink.ingest(g.tenantId, g.records)
      // Read by now (see MqttIngestSink): the parsed records need not outlive the commit's wait.
      g.records = []
      result = await committed
    } catch (err) {
      if (err instanceof BatchRefusedError) this.distribute(g, err.details)
      else for (const p of g.parts) this.settle(this.fail(p.tenantId, p.topic, err), p.onOutcome)
      return
    }
    const stored = this.distribute(g, result.refused)
    this.emit({ type: 'ingested', tenantId: g.tenantId, messages: stored, records: result.accepted, readings: result.readings, duplicates: result.duplicates })
  }

  /** Hands each message its outcome, with its refusals (re-indexed to its own records); returns how many messages stored something. */
  private distribute(g: Group, refused: readonly RecordRefusal[]): number {
    // Refusals come sorted by index, and parts are in offset order: one sweep.
    let k = 0
    let stored = 0
    for (const p of g.parts) {
      const end = p.offset + p.count
      const mine: RecordRefusal[] = []
      while (k < refused.length && refused[k]!.index < end) {
        const r = refused[k++]!
        mine.push({ ...r, index: r.index - p.offset })
      }
      if (p.count > mine.length) stored++
      let outcome: MessageOutcome
      try {
        outcome = this.completed(p, mine)
      } catch (err) {
        outcome = this.fail(p.tenantId, p.topic, err)
      }
      this.settle(outcome, p.onOutcome)
    }
    return stored
  }
}

/** Options shared by the embedded broker and the external-broker client. */
export interface MqttIngestOptions {
  ingest: MqttIngestSink
  meta: MetaStore
  log: Logger
  /** Every event (for metrics); `stats` on the returned handle counts them per tenant as well. */
  onEvent?: (e: MqttIngestEvent) => void
  /** First topic level(s); default `prognos`. */
  topicRoot?: string
  /** Messages in flight (parsed, waiting for their commit) at most; further ones wait unacknowledged. Default 8192. */
  maxInFlight?: number
  /** Payload bytes of the messages in flight at most (one message is always admitted). Default 64 MiB. */
  maxInFlightBytes?: number
  /** Larger payloads are reported as MQTT_PAYLOAD_TOO_LARGE. Default 4 MiB. */
  maxPayloadBytes?: number
  /** How long an asset's site is cached for the topic ACL. Default 10 s. */
  aclCacheMs?: number
}

/** Events go to the stats and the caller; a throwing listener must not break a device's publish. */
function eventSink(stats: MqttIngestStats, onEvent: ((e: MqttIngestEvent) => void) | undefined, log: Logger): (e: MqttIngestEvent) => void {
  return (e) => {
    stats.onEvent(e)
    if (!onEvent) return
    try {
      onEvent(e)
    } catch (err) {
      log.warn({ err, event: e.type }, 'MQTT ingest event listener failed')
    }
  }
}

/** The ingestor, its stats and its event sink, as both transports set them up. */
export function createIngestor(
  opts: MqttIngestOptions,
  topicRoot: string,
  log: Logger,
  report: (tenantId: string, report: MqttErrorReport) => void,
): { ingestor: TelemetryIngestor; stats: MqttIngestStats; emit: (e: MqttIngestEvent) => void } {
  const stats = new MqttIngestStats()
  const emit = eventSink(stats, opts.onEvent, log)
  const acl = new AssetAccess(opts.meta, { cacheMs: opts.aclCacheMs ?? DEFAULT_ACL_CACHE_MS, negativeCacheMs: DEFAULT_ACL_NEGATIVE_CACHE_MS, maxEntries: DEFAULT_ACL_CACHE_ENTRIES })
  const ingestor = new TelemetryIngestor(opts.ingest, acl, emit, report, {
    topicRoot,
    maxInFlight: opts.maxInFlight ?? DEFAULT_MAX_IN_FLIGHT,
    maxInFlightBytes: opts.maxInFlightBytes ?? DEFAULT_MAX_IN_FLIGHT_BYTES,
    maxPayloadBytes: opts.maxPayloadBytes ?? DEFAULT_MAX_PAYLOAD_BYTES,
  })
  return { ingestor, stats, emit }
}
