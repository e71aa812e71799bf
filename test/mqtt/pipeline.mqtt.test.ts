/**
 * Issue 3, "done when" 1: a device publishing over MQTT, to the embedded broker and through
 * the local Mosquitto (external-broker mode), has its readings queryable AND its features
 * computed and queryable through the API. Also: MQTT acknowledgements wait while the
 * pipeline after the store is saturated.
 */
import type { MqttClient } from 'mqtt'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { connectExternalBroker } from '../../src/ingest/mqtt/external.client.js'
import { startEmbeddedBroker, type EmbeddedBroker } from '../../src/ingest/mqtt/embedded.broker.js'
import { createLogger } from '../../src/logger.js'
import { seedAsset, startTestPlatform, type TestPlatform } from '../helpers/platform.js'
import { connectClient, createKey, freePort, MOSQUITTO_URL, requireMosquitto, storedValues, uniqueSuffix, waitFor } from './mqtt.helpers.js'

const log = createLogger(process.env.TEST_LOG ?? 'silent')
const suffix = uniqueSuffix()
const open: { end(): Promise<unknown> }[] = []
let t: TestPlatform

beforeAll(async () => {
  await requireMosquitto()
  t = await startTestPlatform({ PROGNOS_FEATURES_WINDOWS_SEC: '10,30', PROGNOS_PIPELINE_QUEUE_READINGS: '1000' })
})
afterEach(async () => {
  for (const o of open.splice(0).reverse()) await o.end()
})
afterAll(async () => {
  await t?.close()
})

/** 31 one-second records of temp (rising 1 per second) and vib from a whole minute, so that the last one closes the windows ending 30 s later. */
function telemetry(): { ts: number; values: Record<string, number> }[] {
  const t0 = Math.floor(Date.now() / 60_000) * 60_000 - 120_000
  return Array.from({ length: 31 }, (_, s) => ({ ts: t0 + s * 1000, values: { temp: 40 + s, vib: s % 3 } }))
}

/** Readings and features of an asset through the API, once the features stage has stored them. */
async function expectQueryableWithFeatures(assetId: string, records: { ts: number; values: Record<string, number> }[]): Promise<void> {
  await waitFor(async () => (await storedValues(t, 'default', assetId, 'temp')).length === records.length, 5000, 'readings stored')
  expect(await storedValues(t, 'default', assetId, 'temp')).toEqual(records.map((r) => r.values.temp))
  const last = records[records.length - 1]!
  const t0 = records[0]!.ts
  // Snapshots of window W are stored when a series' data time crosses a multiple of W: at least one per channel and window
  // (the last reading crosses t0 + 30 s), each describing the readings up to its ts.
  const history = await waitFor(
    async () => {
      const res = await t.platform.app.inject({ method: 'GET', url: `/v1/assets/${assetId}/features?from=${t0}&to=${last.ts + 1}`, headers: t.admin })
      expect(res.statusCode).toBe(200)
      const body = res.json() as { series: { channel: string; windowSec: number; ts: number[]; last: number[]; count: number[] }[] }
      return body.series.length === 4 && body.series.every((s) => s.ts.length >= 1) ? body : undefined
    },
    5000,
    'features stored',
  )
  expect(history.series.map((s) => `${s.channel}.w${s.windowSec}`).sort()).toEqual(['temp.w10', 'temp.w30', 'vib.w10', 'vib.w30'])
  const temp30 = history.series.find((s) => s.channel === 'temp' && s.windowSec === 30)!
  // Messages may reach the stage out of order (concurrent ingest calls); a row holds what had arrived by then.
  temp30.ts.forEach((ts, i) => {
    const sec = (ts - t0) / 1000
    expect(temp30.last[i]).toBe(40 + sec)
    expect(temp30.count[i]).toBeGreaterThan(0)
    expect(temp30.count[i]).toBeLessThanOrEqual(sec + 1)
  })
  // Once everything has arrived, the live windows (ending at t0 + 30 s, the newest boundary) hold every reading before it, late ones included.
  await t.platform.bus.drain()
  const latest = await t.platform.app.inject({ method: 'GET', url: `/v1/assets/${assetId}/features/latest`, headers: t.admin })
  const vector = (latest.json() as { vector: Record<string, number> }).vector
  expect(vector['temp.w30.count']).toBe(30)
  expect(vector['temp.w10.count']).toBe(10)
  expect(vector['temp.w10.min']).toBe(last.values.temp! - 10)
  expect(vector['temp.w10.last']).toBe(last.values.temp! - 1)
  expect(vector['temp.w30.slope']).toBeCloseTo(1, 9)
}

describe('MQTT → store → features, end to end', () => {
  it('embedded broker: a device’s QoS 1 telemetry is queryable and its features are computed and queryable', async () => {
    const asset = `emb-${suffix}`
    await seedAsset(t, t.admin, asset, ['temp', 'vib'])
    const device = await createKey(t, 'ingest')
    const broker: EmbeddedBroker = await startEmbeddedBroker({ host: '127.0.0.1', port: await freePort(), ingest: t.platform.ingest, auth: t.platform.auth, meta: t.platform.stores.meta, log })
    open.push({ end: () => broker.close() })
    const c = await connectClient(`mqtt://127.0.0.1:${broker.port}`, { username: device.id, password: device.key, clientId: `dev-${suffix}` })
    open.push({ end: () => c.endAsync(true) })
    const records = telemetry()
    // Half as single records, half as one batch message.
    for (const r of records.slice(0, 15)) await c.publishAsync(`prognos/lyon/${asset}/telemetry`, JSON.stringify(r), { qos: 1 })
    await c.publishAsync(`prognos/lyon/${asset}/telemetry`, JSON.stringify({ records: records.slice(15) }), { qos: 1 })
    await expectQueryableWithFeatures(asset, records)
  })

  it('local Mosquitto (external-broker mode): the same', async () => {
    const asset = `ext-${suffix}`
    const root = `prognos-pipe-${suffix}`
    await seedAsset(t, t.admin, asset, ['temp', 'vib'])
    const up = await connectExternalBroker({ url: MOSQUITTO_URL, tenantId: 'default', topicRoot: root, ingest: t.platform.ingest, meta: t.platform.stores.meta, log, cleanSession: true, clientId: `prognos-pipe-${suffix}` })
    open.push({ end: () => up.close() })
    const pub: MqttClient = await connectClient(MOSQUITTO_URL, { clientId: `pub-${suffix}` })
    open.push({ end: () => pub.endAsync(true) })
    const records = telemetry()
    await pub.publishAsync(`${root}/lyon/${asset}/telemetry`, JSON.stringify({ records: records.slice(0, 10) }), { qos: 1 })
    for (const r of records.slice(10)) await pub.publishAsync(`${root}/lyon/${asset}/telemetry`, JSON.stringify(r), { qos: 1 })
    await expectQueryableWithFeatures(asset, records)
  })

  it('while the features queue is saturated, QoS 1 acknowledgements wait; they come once it drains, with the readings stored', async () => {
    const asset = `bp-${suffix}`
    await seedAsset(t, t.admin, asset, ['temp', 'vib'])
    const device = await createKey(t, 'ingest')
    const broker = await startEmbeddedBroker({ host: '127.0.0.1', port: await freePort(), ingest: t.platform.ingest, auth: t.platform.auth, meta: t.platform.stores.meta, log })
    open.push({ end: () => broker.close() })
    const c = await connectClient(`mqtt://127.0.0.1:${broker.port}`, { username: device.id, password: device.key, clientId: `dev-bp-${suffix}` })
    open.push({ end: () => c.endAsync(true) })
    // Fill the queue (capacity 1,000 readings) behind a stage that holds its messages.
    let release!: () => void
    const held = new Promise<void>((r) => (release = r))
    const sub = t.platform.bus.subscribe('readings', 'held', () => held)
    open.push({
      end: async () => {
        release()
        sub.unsubscribe()
      },
    })
    const t0 = Date.now() - 3_600_000
    const filler = Array.from({ length: 500 }, (_, i) => ({ asset, ts: t0 + i * 1000, values: { temp: i, vib: 0 } }))
    expect((await t.platform.app.inject({ method: 'POST', url: '/v1/ingest', headers: t.admin, payload: { records: filler } })).statusCode).toBe(200)
    expect(t.platform.ingest.saturated).toBe(true)

    let ackedAt = 0
    const ack = c.publishAsync(`prognos/lyon/${asset}/telemetry`, JSON.stringify({ ts: t0 + 600_000, values: { temp: 12345.5 } }), { qos: 1 }).then(() => (ackedAt = Date.now()))
    await new Promise((r) => setTimeout(r, 700))
    expect(ackedAt).toBe(0)
    expect(await storedValues(t, 'default', asset, 'temp')).not.toContain(12345.5)
    const releasedAt = Date.now()
    release()
    await ack
    expect(ackedAt).toBeGreaterThanOrEqual(releasedAt)
    expect(await storedValues(t, 'default', asset, 'temp')).toContain(12345.5)
  })
})
