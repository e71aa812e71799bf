import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openDuckDbStores } from '../../store/duckdb/open.js'
import type { Stores } from '../../store/ports.js'
import { BatchRefusedError, type RecordRefusal } from '../errors.js'
import { AssetAccess } from './asset.access.js'
import type { MqttErrorReport } from './errors.js'
import type { MqttIngestEvent } from './events.js'
import { TelemetryIngestor, type MessageOutcome, type MqttIngestSink } from './telemetry.ingestor.js'

let stores: Stores
beforeAll(async () => {
  stores = await openDuckDbStores({ dataDir: ':memory:' })
  const t = stores.meta.tenant('default')
  await t.createSite({ id: 's1', name: 's1', latitude: 0, longitude: 0, timezone: 'UTC' })
  for (const id of ['a1', 'a2']) await t.createAsset({ id, siteId: 's1', type: 'rotating_machine' })
})
afterAll(async () => {
  await stores?.close()
})

/** A sink that takes every record except those whose `values.v` is negative, and keeps each call's records. */
class Sink implements MqttIngestSink {
  readonly calls: unknown[][] = []
  failWith: unknown = null
  parseOptions(): { maxRecords: number } {
    return { maxRecords: 100 }
  }
  ingest(_tenantId: string, records: readonly unknown[]) {
    this.calls.push([...records])
    if (this.failWith) return Promise.reject(this.failWith)
    const refused: RecordRefusal[] = []
    records.forEach((r, index) => {
      if ((r as { values: { v: number } }).values.v < 0) refused.push({ index, field: 'values.v', reason: 'must not be negative' })
    })
    if (refused.length === records.length) return Promise.reject(new BatchRefusedError(refused))
    return Promise.resolve({ accepted: records.length - refused.length, readings: records.length - refused.length, duplicates: 0, refused })
  }
}

function setUp(sink: Sink) {
  const events: MqttIngestEvent[] = []
  const reports: MqttErrorReport[] = []
  const ingestor = new TelemetryIngestor(sink, new AssetAccess(stores.meta), (e) => events.push(e), (_t, r) => reports.push(r), {
    topicRoot: 'prognos',
    maxInFlight: 100,
    maxInFlightBytes: 1 << 20,
    maxPayloadBytes: 1 << 16,
  })
  return { ingestor, events, reports }
}

const topic = (asset: string): string => `prognos/s1/${asset}/telemetry`
const record = (ts: number, v: number) => ({ ts, values: { v } })

describe('TelemetryIngestor', () => {
  it('commits the messages of one turn together and tells each its own outcome, once, with refusals indexed in its own payload', async () => {
    const sink = new Sink()
    const { ingestor, reports } = setUp(sink)
    // Warm the topic ACL so that every message below is admitted in the same turn.
    expect((await ingestor.process('default', topic('a1'), JSON.stringify(record(1, 1)))).kind).toBe('stored')
    sink.calls.length = 0

    const outcomes: MessageOutcome[][] = [[], [], []]
    const queued: number[] = []
    const payloads = [
      JSON.stringify(record(10, 1)),
      JSON.stringify({ records: [record(11, 1), record(12, -1), record(13, 1)] }),
      JSON.stringify({ records: [record(14, -1)] }),
    ]
    payloads.forEach((p, i) => ingestor.receive('default', topic('a1'), Buffer.from(p), `dev${i}`, () => queued.push(i), (o) => outcomes[i]!.push(o)))
    expect(queued).toEqual([0, 1, 2])
    expect(outcomes.flat()).toEqual([])
    await ingestor.idle()

    expect(sink.calls).toHaveLength(1)
    expect(sink.calls[0]).toHaveLength(5)
    expect(outcomes[0]).toEqual([{ kind: 'stored', accepted: 1, refused: 0 }])
    expect(outcomes[1]).toEqual([{ kind: 'stored', accepted: 2, refused: 1 }])
    expect(outcomes[2]).toHaveLength(1)
    expect(outcomes[2]![0]).toMatchObject({ kind: 'rejected', error: { code: 'MQTT_RECORDS_REFUSED', accepted: 0, refused: [{ index: 0, field: 'values.v' }] } })
    // The second message's refused record is its own record 1, not the commit's record 2.
    expect(reports.map((r) => r.details?.refused.map((x) => x.index))).toEqual([[1], [0]])
  })

  it('refuses a topic outside the tenant and bad JSON at once, and fails every message of a commit that cannot be stored', async () => {
    const sink = new Sink()
    const { ingestor, events } = setUp(sink)
    expect(await ingestor.process('default', 'prognos/s1/nope/telemetry', JSON.stringify(record(1, 1)))).toMatchObject({ kind: 'denied' })
    expect(await ingestor.process('default', topic('a1'), '{not json')).toMatchObject({ kind: 'rejected', error: { code: 'MQTT_PAYLOAD_NOT_JSON' } })
    expect(sink.calls).toHaveLength(0)

    await ingestor.process('default', topic('a2'), JSON.stringify(record(1, 1)))
    sink.failWith = new Error('disk full')
    const both = await Promise.all([ingestor.process('default', topic('a1'), JSON.stringify(record(2, 1))), ingestor.process('default', topic('a2'), JSON.stringify(record(2, 1)))])
    expect(both.map((o) => o.kind)).toEqual(['failed', 'failed'])
    expect(events.filter((e) => e.type === 'failed')).toHaveLength(2)
    await ingestor.idle()
  })
})
