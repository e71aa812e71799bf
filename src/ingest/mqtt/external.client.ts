import mqtt from 'mqtt'
import type { IClientOptions, IPublishPacket, MqttClient } from 'mqtt'
import { MqttConnectError, MqttTenantUnknownError, type MqttErrorReport } from './errors.js'
import type { MqttIngestStats } from './events.js'
import { createIngestor, type MqttIngestOptions } from './telemetry.ingestor.js'
import { DEFAULT_TOPIC_ROOT, errorTopic, isValidTopicRoot, telemetryFilter } from './topics.js'

export const DEFAULT_CONNECT_TIMEOUT_MS = 10_000
export const DEFAULT_RECONNECT_PERIOD_MS = 2_000

export interface ExternalBrokerOptions extends MqttIngestOptions {
  /** `mqtt://`, `mqtts://` (TLS), `ws://` or `wss://`. Credentials in the URL work too but are better passed apart. */
  url: string
  /**
   * The tenant every message is ingested for. An external broker does not say which device
   * published, so the topic ACL checks assets against this tenant and reports go to its error topic.
   */
  tenantId: string
  /** Credentials of Prognos at the external broker (not a Prognos API key). */
  username?: string
  password?: string
  /** TLS: trusted CA certificate(s), PEM. */
  ca?: string | Buffer | (string | Buffer)[]
  /** TLS client certificate and key, PEM. */
  cert?: string | Buffer
  key?: string | Buffer
  /** Default true: refuse a broker whose certificate does not verify. */
  rejectUnauthorized?: boolean
  /** Default `prognos-ingest-<tenantId>`. Two Prognos instances on one broker need different ids. */
  clientId?: string
  /**
   * Default false: a persistent session, so that the broker keeps (and delivers again) QoS 1
   * messages that Prognos did not acknowledge before a crash or a disconnection.
   */
  cleanSession?: boolean
  /** How long the first connection may take. Default 10 s. */
  connectTimeoutMs?: number
  /** Pause between reconnection attempts after the first connection. Default 2 s. */
  reconnectPeriodMs?: number
  /**
   * Default true: store many messages at once and send their PUBACKs in order as they
   * commit. False: one message at a time through mqtt.js' handleMessage (slower: one
   * commit per message), for when mqtt.js' internal `_sendPacket` cannot be relied on.
   */
  pipelineAcks?: boolean
}

export interface ExternalBrokerConnection {
  /** The broker URL without credentials. */
  readonly url: string
  readonly clientId: string
  readonly stats: MqttIngestStats
  readonly inFlight: number
  readonly connected: boolean
  /** Stops taking messages, acknowledges those already stored, and disconnects. Safe to call twice. */
  close(): Promise<void>
}

/** The URL with user name and password removed, for logs and errors. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url)
    u.username = ''
    u.password = ''
    return u.toString()
  } catch {
    return '(invalid URL)'
  }
}

/** The mqtt.js options the client connects with (exported so the TLS plumbing can be checked). */
export function externalClientOptions(opts: ExternalBrokerOptions): IClientOptions {
  const o: IClientOptions = {
    clientId: opts.clientId ?? `prognos-ingest-${opts.tenantId}`,
    clean: opts.cleanSession ?? false,
    protocolVersion: 4,
    connectTimeout: opts.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
    reconnectPeriod: opts.reconnectPeriodMs ?? DEFAULT_RECONNECT_PERIOD_MS,
    resubscribe: true,
    // Error reports are QoS 0: while offline they are dropped rather than queued without bound.
    queueQoSZero: false,
    rejectUnauthorized: opts.rejectUnauthorized ?? true,
  }
  if (opts.username !== undefined) o.username = opts.username
  if (opts.password !== undefined) o.password = opts.password
  if (opts.ca !== undefined) o.ca = (Array.isArray(opts.ca) ? opts.ca : [opts.ca]) as Buffer[]
  if (opts.cert !== undefined) o.cert = opts.cert as Buffer
  if (opts.key !== undefined) o.key = opts.key as Buffer
  return o
}

/** mqtt.js' internal send, used to acknowledge out of its one-message-at-a-time loop. */
type SendPacket = (packet: { cmd: 'puback'; messageId: number }, cb?: (err?: Error) => void) => void

interface PendingAck {
  messageId: number
  generation: number
  state: 'pending' | 'ack' | 'drop'
}

/** Tells mqtt.js not to send its own PUBACK for a message: this adapter sends it once the message is stored. */
const DEFERRED = new Error('acknowledged later, once stored')

/**
 * Subscribes to `<root>/+/+/telemetry` on an external broker (Mosquitto, EMQX, HiveMQ …)
 * and ingests what devices publish there for one tenant.
 *
 * - The subscription is QoS 1 on a persistent session (clientId fixed, clean = false), and a
 *   message is acknowledged only after its readings are committed; a crash before that
 *   leaves it unacknowledged, so the broker delivers it again to the next session.
 * - Acknowledgements are pipelined: up to `maxInFlight` messages (and as many as the broker
 *   lets in flight, 20 by default in Mosquitto) are stored concurrently, and their PUBACKs
 *   go out in arrival order. This uses mqtt.js' internal `_sendPacket`; where it is missing,
 *   messages are handled one at a time through `handleMessage`, acknowledged the same way.
 * - A store failure leaves the message unacknowledged and reconnects, so it is redelivered.
 * - Bad input and publishes to assets outside the tenant are acknowledged (an external
 *   broker cannot be told to refuse them), counted, and reported on `<root>/<tenant>/errors`.
 *
 * Rejects with MqttTenantUnknownError or MqttConnectError (unreachable, refused, or
 * subscription refused); after the first connection it reconnects on its own.
 *
 * @example
 * const upstream = await connectExternalBroker({ url: 'mqtts://broker:8883', ca, username, password, tenantId: 'default', ingest, meta, log })
 */
export async function connectExternalBroker(opts: ExternalBrokerOptions): Promise<ExternalBrokerConnection> {
  const root = opts.topicRoot ?? DEFAULT_TOPIC_ROOT
  if (!isValidTopicRoot(root)) throw new TypeError(`invalid MQTT topic root '${root}': levels must be non-empty, without + or #, and not start with $`)
  const url = redactUrl(opts.url)
  const log = opts.log.child({ component: 'mqtt-upstream', url })
  const tenantId = opts.tenantId
  if (!(await opts.meta.getTenant(tenantId))) throw new MqttTenantUnknownError(tenantId)

  const clientOptions = externalClientOptions(opts)
  const clientId = clientOptions.clientId!
  let client: MqttClient | null = null

  const { ingestor, stats, emit } = createIngestor(opts, root, log, (t: string, r: MqttErrorReport): void => {
    if (client?.connected) client.publish(errorTopic(t, root), JSON.stringify(r), { qos: 0, retain: false })
  })

  let generation = 0
  let closing = false
  let acks: PendingAck[] = []
  let ackHead = 0

  const c = mqtt.connect(opts.url, clientOptions)
  client = c
  const internalSend = (c as unknown as { _sendPacket?: SendPacket })._sendPacket
  const sendPuback: SendPacket | null = opts.pipelineAcks !== false && typeof internalSend === 'function' ? internalSend.bind(c) : null

  /** Sends the PUBACKs that are due, in arrival order; those of an earlier connection are dropped (the broker sends those messages again). */
  function flushAcks(): void {
    while (ackHead < acks.length && acks[ackHead]!.state !== 'pending') {
      const a = acks[ackHead++]!
      if (a.state === 'ack' && a.generation === generation && c.connected) sendPuback!({ cmd: 'puback', messageId: a.messageId })
    }
    if (ackHead === acks.length) {
      acks = []
      ackHead = 0
    }
  }

  /** Drops the connection so that the broker delivers unacknowledged messages again. */
  function redeliver(gen: number): void {
    if (gen === generation && c.connected) c.stream.destroy()
  }

  async function onMessage(packet: IPublishPacket, done: (err?: Error) => void): Promise<void> {
    if (closing) return done(DEFERRED)
    const bytes = packet.payload.length
    const wait = ingestor.admit(bytes)
    if (wait) await wait
    if (closing) {
      ingestor.release(bytes)
      return done(DEFERRED)
    }
    const gen = generation
    const pipelined = packet.qos === 1 && sendPuback !== null && packet.messageId !== undefined
    const entry: PendingAck | null = pipelined ? { messageId: packet.messageId!, generation: gen, state: 'pending' } : null
    if (entry) acks.push(entry)
    // QoS 0 has nothing to acknowledge, and a pipelined QoS 1 is acknowledged below:
    // either way mqtt.js may hand over the next message now.
    if (packet.qos === 0) done()
    else if (entry) done(DEFERRED)
    let outcome
    try {
      outcome = await ingestor.process(tenantId, packet.topic, packet.payload)
    } finally {
      ingestor.release(bytes)
    }
    const failure = outcome.kind === 'failed' ? outcome.error : null
    if (failure) log.error({ err: failure.cause, topic: packet.topic }, 'MQTT message not stored; reconnecting so that the broker delivers it again')
    if (entry) {
      entry.state = failure ? 'drop' : 'ack'
      flushAcks()
    } else if (packet.qos !== 0) {
      // One at a time: mqtt.js sends the PUBACK (or PUBREC) when called back without an error.
      done(failure ?? undefined)
    }
    if (failure && packet.qos !== 0) redeliver(gen)
  }

  c.handleMessage = (packet, done) => {
    void onMessage(packet, done)
  }
  c.on('connect', () => {
    generation++
    emit({ type: 'upstream', state: 'connected', url })
  })
  c.on('reconnect', () => emit({ type: 'upstream', state: 'reconnecting', url }))
  c.on('offline', () => {
    emit({ type: 'upstream', state: 'offline', url })
    log.warn('external MQTT broker unreachable; reconnecting')
  })
  c.on('error', (error) => {
    emit({ type: 'upstream', state: 'error', url, error })
    log.warn({ err: error }, 'external MQTT broker error')
  })

  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new MqttConnectError(url, `no connection within ${clientOptions.connectTimeout} ms`)), clientOptions.connectTimeout)
      const fail = (err: Error): void => {
        clearTimeout(timer)
        c.off('connect', ok)
        reject(new MqttConnectError(url, err.message, { cause: err }))
      }
      const ok = (): void => {
        clearTimeout(timer)
        c.off('error', fail)
        resolve()
      }
      c.once('connect', ok)
      c.once('error', fail)
    })
    const filter = telemetryFilter(root)
    const refused = (cause?: unknown): MqttConnectError =>
      new MqttConnectError(url, `the subscription to '${filter}' was refused or failed (check the broker's ACL for user '${opts.username ?? '(anonymous)'}')`, { cause })
    // mqtt.js rejects a SUBACK with 0x80 itself; the check below covers versions that resolve.
    const granted = await c.subscribeAsync(filter, { qos: 1 }).catch((err: unknown) => {
      throw refused(err)
    })
    if (granted.some((g) => g.qos === 128)) throw refused()
  } catch (err) {
    await c.endAsync(true).catch(() => undefined)
    if (err instanceof MqttConnectError) throw err
    throw new MqttConnectError(url, (err as Error).message, { cause: err })
  }
  log.info({ clientId, tenantId, topics: telemetryFilter(root) }, 'ingesting from external MQTT broker')

  let closed: Promise<void> | null = null
  return {
    url,
    clientId,
    stats,
    get inFlight() {
      return ingestor.inFlight
    },
    get connected() {
      return c.connected
    },
    close() {
      closed ??= (async () => {
        closing = true
        await ingestor.idle()
        flushAcks()
        await c.endAsync()
      })()
      return closed
    },
  }
}
