import type { EventEmitter } from 'node:events'
import { createServer, type AddressInfo, type Server } from 'node:net'
import { Aedes, type AuthenticateError, type Client, type PublishPacket } from 'aedes'
import { parseApiKey } from '../../auth/auth.service.js'
import { can, type Principal } from '../../auth/permissions.js'
import { MqttAuthError, MqttListenError, MqttPortInUseError, MqttSubscribeDeniedError, type MqttErrorReport } from './errors.js'
import type { MqttIngestStats } from './events.js'
import { telemetryRouting } from './routing.js'
import { createIngestor, type MqttIngestOptions } from './telemetry.ingestor.js'
import { DEFAULT_TOPIC_ROOT, errorTopic, isValidTopicRoot } from './topics.js'

/** The standard MQTT port. Where another broker holds it, startEmbeddedBroker rejects with MqttPortInUseError. */
export const DEFAULT_MQTT_PORT = 1883
/** How often a connected device's key is checked again, so that revoking it disconnects the device. */
export const DEFAULT_KEY_RECHECK_MS = 60_000

/** The part of AuthService the broker needs. */
export interface MqttDeviceAuth {
  authenticateApiKey(key: string): Promise<Principal>
}

export interface EmbeddedBrokerOptions extends MqttIngestOptions {
  /** 0 picks a free port (see `port` on the result). */
  port: number
  /** Default 127.0.0.1; 0.0.0.0 to accept devices from the network. */
  host?: string
  auth: MqttDeviceAuth
  /** Default 60 s. */
  keyRecheckMs?: number
}

export interface EmbeddedBroker {
  readonly port: number
  readonly host: string
  /** Per-tenant counters. */
  readonly stats: MqttIngestStats
  /** Messages holding an in-flight slot now. */
  readonly inFlight: number
  /** Payload bytes of those messages. */
  readonly inFlightBytes: number
  /** Disconnects every device, stops listening, and waits for in-flight messages to settle. Safe to call twice. */
  close(): Promise<void>
}

interface DeviceSession {
  tenantId: string
  keyId: string
  errorTopic: string
  recheckAt: number
  recheck: Promise<boolean> | null
}

const noop = (): void => undefined

/**
 * Starts an MQTT broker (aedes, MQTT 3.1/3.1.1) that devices publish telemetry to.
 *
 * - Credentials: user name = API key id, password = the full key `prg_<id>_<secret>`;
 *   the key's role must have the `ingest` permission.
 * - Publish ACL: only `<root>/<site>/<asset>/telemetry` of an asset of the key's tenant at
 *   that site. Anything else is reported on the tenant error topic and the connection is
 *   closed: MQTT 3.1.1 has no negative PUBACK (MQTT-3.3.5-2), and closing is what aedes does.
 * - Subscribe ACL: only `<root>/<tenant>/errors` of the key's tenant (others get SUBACK 0x80).
 * - Durability: the ingest runs inside aedes' authorizePublish hook, and aedes writes the
 *   PUBACK only after that hook calls back, i.e. after the readings are committed. A store
 *   failure closes the connection without PUBACK, so the device sends the message again.
 *   QoS 0 has no PUBACK and is never sent again, so the hook answers it as soon as its
 *   records are queued for a commit (aedes reads a device's next packets only once all
 *   of its last read are answered; waiting for the commit would pace QoS 0 devices by it).
 * - Bad payloads are acknowledged (sending them again cannot help), counted, and reported
 *   on the tenant error topic.
 * - Telemetry is not routed on: its retain flag is cleared (nothing is stored in the
 *   broker) and devices cannot subscribe to telemetry topics, so after the PUBACK aedes
 *   only finds no subscriber for it.
 * - Backpressure: at most `maxInFlight` messages are in flight; beyond that the hook waits
 *   for a slot, which delays the PUBACK and stops aedes reading that device's socket.
 *
 * Rejects with MqttPortInUseError when the port is taken.
 *
 * @example
 * const broker = await startEmbeddedBroker({ port: 1883, host: '0.0.0.0', ingest, auth, meta: stores.meta, log })
 * // later
 * await broker.close()
 */
export async function startEmbeddedBroker(opts: EmbeddedBrokerOptions): Promise<EmbeddedBroker> {
  const host = opts.host ?? '127.0.0.1'
  const root = opts.topicRoot ?? DEFAULT_TOPIC_ROOT
  if (!isValidTopicRoot(root)) throw new TypeError(`invalid MQTT topic root '${root}': levels must be non-empty, without + or #, and not start with $`)
  const log = opts.log.child({ component: 'mqtt-broker' })
  const keyRecheckMs = opts.keyRecheckMs ?? DEFAULT_KEY_RECHECK_MS
  const sessions = new WeakMap<Client, DeviceSession>()
  let broker: Aedes | null = null
  let closing: Promise<void> | null = null

  const { ingestor, stats, emit } = createIngestor(opts, root, log, (tenantId: string, r: MqttErrorReport): void => {
    // QoS 0 and not retained: a report is for whoever listens now, and costs no broker storage.
    broker?.publish({ cmd: 'publish', topic: errorTopic(tenantId, root), payload: Buffer.from(JSON.stringify(r)), qos: 0, retain: false, dup: false }, noop)
  })

  async function authenticateDevice(username: string | undefined, password: Buffer | undefined): Promise<DeviceSession> {
    const key = password?.toString('utf8') ?? ''
    const parsed = parseApiKey(key)
    if (!parsed || parsed.id !== username) throw new MqttAuthError('bad user name or password: the user name is the API key id and the password the whole key prg_<id>_<secret>', 4)
    let principal: Principal
    try {
      principal = await opts.auth.authenticateApiKey(key)
    } catch (err) {
      throw new MqttAuthError('bad user name or password: the API key is invalid or revoked', 4, { cause: err })
    }
    if (!can(principal.role, 'ingest')) throw new MqttAuthError(`not authorised: an API key with role '${principal.role}' may not ingest`, 5)
    return { tenantId: principal.tenantId, keyId: principal.id, errorTopic: errorTopic(principal.tenantId, root), recheckAt: Date.now() + keyRecheckMs, recheck: null }
  }

  /** Whether the device's key still exists, is not revoked and may still ingest in the same tenant. */
  function keyStillValid(s: DeviceSession): Promise<boolean> | true {
    if (Date.now() < s.recheckAt) return true
    s.recheck ??= opts.meta
      .getApiKey(s.keyId)
      .then((rec) => rec !== null && rec.revokedAt === null && rec.tenantId === s.tenantId && can(rec.role, 'ingest'))
      .then(
        (ok) => {
          s.recheckAt = Date.now() + keyRecheckMs
          return ok
        },
        // Unknown while the store is down: let the publish try, the ingest will fail on its own.
        () => true,
      )
      .finally(() => (s.recheck = null))
    return s.recheck
  }

  /**
   * Answers aedes once per message: null lets it acknowledge (PUBACK at QoS 1) and route
   * the message, an error closes the connection without acknowledgement. Callbacks, not
   * async functions: nothing here waits on the common path (a slot is free, the key was
   * checked lately), and a broker at tens of thousands of messages a second would spend its
   * time collecting the promises otherwise.
   */
  function authorizeTelemetry(client: Client, s: DeviceSession, packet: PublishPacket, done: (err: Error | null) => void): void {
    const bytes = packet.payload.length
    const wait = ingestor.admit(bytes)
    if (wait) void wait.then(() => admitted(client, s, packet, done, bytes))
    else admitted(client, s, packet, done, bytes)
  }

  /** The message holds an in-flight slot of `bytes`: checks the key again when due, then ingests. */
  function admitted(client: Client, s: DeviceSession, packet: PublishPacket, done: (err: Error | null) => void, bytes: number): void {
    // Admitted after close() began: the store may be closing too, so leave it unacknowledged.
    if (closing) {
      ingestor.release(bytes)
      return done(new Error('the broker is shutting down'))
    }
    const valid = keyStillValid(s)
    if (valid === true) return ingest(client, s, packet, done, bytes)
    void valid.then((ok) => {
      if (ok) return ingest(client, s, packet, done, bytes)
      ingestor.release(bytes)
      emit({ type: 'auth_failed', clientId: client.id, username: s.keyId, reason: 'the API key was revoked or lost the ingest permission' })
      done(new MqttAuthError('the API key was revoked or lost the ingest permission', 5))
    })
  }

  function ingest(client: Client, s: DeviceSession, packet: PublishPacket, done: (err: Error | null) => void, bytes: number): void {
    // aedes reads a device's next packets only once every packet of its last read is
    // answered. QoS 0 promises no delivery, so it is answered as soon as its records are
    // queued for a commit rather than after it: a QoS 0 device is not paced by commit
    // latency. It still holds its in-flight slot until the commit, which keeps memory bounded.
    let answered = false
    const onQueued =
      packet.qos === 0
        ? (): void => {
            answered = true
            packet.retain = false
            done(null)
          }
        : undefined
    ingestor.receive(s.tenantId, packet.topic, packet.payload, client.id, onQueued, (outcome) => {
      ingestor.release(bytes)
      let err: Error | null = null
      switch (outcome.kind) {
        case 'stored':
        case 'rejected':
          packet.retain = false
          break
        case 'denied':
          err = outcome.error
          break
        case 'failed':
          if (answered) log.error({ err: outcome.error.cause, tenantId: s.tenantId, topic: packet.topic }, 'MQTT QoS 0 message not stored (QoS 0 is never sent again)')
          else log.error({ err: outcome.error.cause, tenantId: s.tenantId, topic: packet.topic }, 'MQTT message not stored; closing the connection so the device sends it again')
          err = outcome.error
      }
      if (!answered) done(err)
    })
  }

  try {
    broker = await Aedes.createBroker({
      ...telemetryRouting(root),
      authenticate(client, username, password, done) {
        authenticateDevice(username, password).then(
          (s) => {
            sessions.set(client, s)
            emit({ type: 'client_connected', tenantId: s.tenantId, keyId: s.keyId, clientId: client.id })
            done(null, true)
          },
          (err: MqttAuthError) => {
            emit({ type: 'auth_failed', clientId: client.id, username: username ?? null, reason: err.message })
            done(err as unknown as AuthenticateError, null)
          },
        )
      },
      authorizePublish(client, packet, done) {
        const s = client ? sessions.get(client) : undefined
        // client is null only for wills published after their client left: not telemetry.
        if (!client || !s) return done(new MqttAuthError('publishing needs an authenticated device', 5))
        authorizeTelemetry(client, s, packet, done)
      },
      authorizeSubscribe(client, sub, done) {
        const s = sessions.get(client)
        if (s && sub.topic === s.errorTopic) return done(null, sub)
        if (s) emit({ type: 'subscribe_denied', tenantId: s.tenantId, clientId: client.id, topic: sub.topic })
        log.debug({ clientId: client.id, err: new MqttSubscribeDeniedError(sub.topic, s?.errorTopic ?? errorTopic('<tenant>', root)) }, 'MQTT subscription refused')
        // A null subscription answers SUBACK 0x80 for it and keeps the connection.
        done(null, null)
      },
      authorizeForward(client, packet) {
        return sessions.get(client)?.errorTopic === packet.topic ? packet : null
      },
    })
  } catch (err) {
    throw new MqttListenError(opts.port, host, { cause: err })
  }
  const aedes = broker

  aedes.on('clientDisconnect', (client) => {
    const s = sessions.get(client)
    if (s) emit({ type: 'client_disconnected', tenantId: s.tenantId, keyId: s.keyId, clientId: client.id })
  })
  aedes.on('clientError', (client, err) => log.debug({ clientId: client.id, err }, 'MQTT client error'))
  aedes.on('connectionError', (_client, err) => log.debug({ err }, 'MQTT connection error'))
  // aedes emits 'error' when its persistence fails; unhandled, that would end the process.
  ;(aedes as EventEmitter).on('error', (err: unknown) => log.error({ err }, 'MQTT broker error'))

  const server: Server = createServer(aedes.handle)
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      server.listen(opts.port, host, () => {
        server.off('error', reject)
        resolve()
      })
    })
  } catch (err) {
    await new Promise<void>((resolve) => aedes.close(() => resolve()))
    if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE') throw new MqttPortInUseError(opts.port, host, { cause: err })
    throw new MqttListenError(opts.port, host, { cause: err })
  }
  server.on('error', (err) => log.error({ err }, 'MQTT listener error'))
  const port = (server.address() as AddressInfo).port
  log.info({ host, port, topics: `${root}/<site>/<asset>/telemetry` }, 'embedded MQTT broker listening')

  return {
    port,
    host,
    stats,
    get inFlight() {
      return ingestor.inFlight
    },
    get inFlightBytes() {
      return ingestor.inFlightBytes
    },
    close() {
      closing ??= (async () => {
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()))
        await new Promise<void>((resolve) => aedes.close(() => resolve()))
        await stopped
        await ingestor.idle()
      })()
      return closing
    },
  }
}
