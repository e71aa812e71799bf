/**
 * The embedded broker's routing, told that telemetry goes to nobody.
 *
 * Telemetry is consumed by the ingest and never delivered to MQTT subscribers: a device may
 * subscribe to its tenant's error topic only, by its exact name, so no subscription can match
 * `<root>/<site>/<asset>/telemetry`. aedes still routes every message it accepts: at QoS 1 a
 * match in the persistence's subscription trie (for offline sessions), then one in the
 * emitter's, each splitting the topic and making promises and callbacks, to find nobody. On
 * the event loop that was a tenth of what ingest over MQTT allocated. These answer "nobody"
 * for telemetry topics at once and route everything else (error reports, `$SYS`) as aedes does.
 */
import aedesPersistence, { type AedesMemoryPersistence } from 'aedes-persistence'
import createEmitter from 'mqemitter'
import { endsInTelemetry } from './topics.js'

type MQEmitter = ReturnType<typeof createEmitter>

/** aedes' own emitter settings (its defaults when no emitter is given). */
const EMITTER_CONCURRENCY = 100

/** The package is CommonJS: imported from ESM, its default is the factory itself, which its types (written as ESM) call `default`. */
const createPersistence = aedesPersistence as unknown as () => AedesMemoryPersistence

const NOBODY: Promise<never[]> = Promise.resolve([])

export function telemetryRouting(root: string): { persistence: AedesMemoryPersistence; mq: MQEmitter } {
  const isTelemetry = (topic: string): boolean => endsInTelemetry(topic, root)

  const persistence = createPersistence()
  const subscriptionsByTopic = persistence.subscriptionsByTopic.bind(persistence)
  // aedes calls it without a callback and takes a promise (its types show only the callback form).
  persistence.subscriptionsByTopic = ((topic: string, cb?: (err: Error | null, subs: never[]) => void): unknown => {
    if (!isTelemetry(topic)) return (subscriptionsByTopic as (t: string, c?: unknown) => unknown)(topic, cb)
    if (!cb) return NOBODY
    process.nextTick(cb, null, [])
    return persistence
  }) as typeof persistence.subscriptionsByTopic

  const mq = createEmitter({ concurrency: EMITTER_CONCURRENCY, matchEmptyLevels: true })
  const emit = mq.emit.bind(mq)
  mq.emit = (message, callback) => {
    if (!isTelemetry(message.topic)) return emit(message, callback)
    callback?.()
  }
  return { persistence, mq }
}
