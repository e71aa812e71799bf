/**
 * The embedded broker against a real platform (DuckDB) and real MQTT clients on a socket.
 */
import type { MqttClient } from 'mqtt'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { MqttPortInUseError } from '../../src/ingest/mqtt/errors.js'
import type { MqttErrorReport } from '../../src/ingest/mqtt/errors.js'
import type { MqttIngestEvent } from '../../src/ingest/mqtt/events.js'
import { startEmbeddedBroker, type EmbeddedBroker, type EmbeddedBrokerOptions } from '../../src/ingest/mqtt/embedded.broker.js'
import { createLogger } from '../../src/logger.js'
import type { SeriesStore } from '../../src/store/ports.js'
import { apiKey, seedAsset, startTestPlatform, type TestPlatform } from '../helpers/platform.js'
import { collect, connectClient, createKey, freePort, requireMosquitto, storedCounts, storedValues, waitFor } from './mqtt.helpers.js'

const log = createLogger(process.env.TEST_LOG ?? 'silent')
const TOPIC = 'prognos/lyon/pump-1/telemetry'
const ERRORS = 'prognos/default/errors'

let t: TestPlatform
let broker: EmbeddedBroker
let url: string
let device: { id: string; key: string }
const events: MqttIngestEvent[] = []
const clients: MqttClient[] = []

function deps(): Omit<EmbeddedBrokerOptions, 'port'> {
  return { host: '127.0.0.1', ingest: t.platform.ingest, auth: t.platform.auth, meta: t.platform.stores.meta, log }
}

async function deviceClient(clientId: string, key = device): Promise<MqttClient> {
  const c = await connectClient(url, { username: key.id, password: key.key, clientId })
  clients.push(c)
  return c
}

/** A client of the default tenant listening to its error topic. */
async function errorMonitor(clientId: string): Promise<MqttErrorReport[]> {
  const c = await deviceClient(clientId)
  const reports = collect<MqttErrorReport>(c, ERRORS)
  await c.subscribeAsync(ERRORS, { qos: 0 })
  return reports
}

/** Delays every append of the store by `delayMs` and records when each commit finished. */
function slowStore(delayMs: number): { commits: number[]; restore(): void } {
  const series: SeriesStore = t.platform.stores.series
  const original = series.append
  const commits: number[] = []
  series.append = async (batch) => {
    await new Promise((r) => setTimeout(r, delayMs))
    const result = await original.call(series, batch)
    commits.push(performance.now())
    return result
  }
  return { commits, restore: () => void (series.append = original) }
}

beforeAll(async () => {
  t = await startTestPlatform()
  await seedAsset(t, t.admin, 'pump-1', ['temp', 'vib'])
  const tenant = await t.platform.app.inject({ method: 'POST', url: '/v1/tenants', headers: t.admin, payload: { id: 'acme', name: 'Acme' } })
  expect(tenant.statusCode).toBe(201)
  await seedAsset(t, await apiKey(t, 'admin', 'acme'), 'pump-b', ['temp'])
  device = await createKey(t, 'ingest')
  broker = await startEmbeddedBroker({ ...deps(), port: await freePort(), keyRecheckMs: 50, onEvent: (e) => events.push(e) })
  url = `mqtt://127.0.0.1:${broker.port}`
})

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.endAsync(true)))
})

afterAll(async () => {
  await broker?.close()
  await t?.close()
})

describe('embedded MQTT broker', () => {
  it('stores QoS 1 and QoS 0 telemetry of the device tenant; a QoS 1 message is queryable once acknowledged', async () => {
    const c = await deviceClient('dev-store')
    const ts = Date.now()
    await c.publishAsync(TOPIC, JSON.stringify({ ts, values: { temp: 20.5, vib: 0.25 } }), { qos: 1 })
    // No waiting: the PUBACK came after the commit.
    expect(await storedValues(t, 'default', 'pump-1', 'temp')).toContain(20.5)
    expect(await storedValues(t, 'default', 'pump-1', 'vib')).toContain(0.25)

    await c.publishAsync(TOPIC, JSON.stringify({ records: [{ ts: ts + 1, values: { temp: 21.5 } }, { asset: 'pump-1', ts: ts + 2, values: { temp: 22.5 } }] }), { qos: 0 })
    await waitFor(async () => (await storedValues(t, 'default', 'pump-1', 'temp')).includes(22.5), 5000, 'the QoS 0 records')
    expect(await storedValues(t, 'default', 'pump-1', 'temp')).toEqual(expect.arrayContaining([20.5, 21.5, 22.5]))

    const s = broker.stats.tenant('default')
    expect(s.records).toBeGreaterThanOrEqual(3)
    expect(s.readings).toBeGreaterThanOrEqual(4)
    expect(events).toContainEqual(expect.objectContaining({ type: 'client_connected', tenantId: 'default', keyId: device.id, clientId: 'dev-store' }))
  })

  it('stores many concurrent QoS 1 messages from several devices, each acknowledged after its commit', async () => {
    const [a, b] = await Promise.all([deviceClient('dev-burst-a'), deviceClient('dev-burst-b')])
    const base = Date.now() - 60_000
    const before = (await storedCounts(t, 'default', 'pump-1')).vib ?? 0
    await Promise.all(
      Array.from({ length: 200 }, (_, i) => (i % 2 ? a : b).publishAsync(TOPIC, JSON.stringify({ ts: base + i, values: { vib: i } }), { qos: 1 })),
    )
    expect((await storedCounts(t, 'default', 'pump-1')).vib).toBe(before + 200)
  })

  it('refuses bad credentials and keys that may not ingest at CONNECT', async () => {
    const viewer = await createKey(t, 'viewer')
    const cases: [string, Record<string, string>, number][] = [
      ['wrong password', { username: device.id, password: `${device.key}x` }, 4],
      ['user name is not the key id', { username: 'k000000000000', password: device.key }, 4],
      ['password is not an API key', { username: device.id, password: 'hunter2' }, 4],
      ['no credentials', {}, 4],
      ['viewer key', { username: viewer.id, password: viewer.key }, 5],
    ]
    for (const [name, creds, code] of cases) {
      await expect(connectClient(url, { ...creds, clientId: `bad-${code}` }), name).rejects.toMatchObject({ code })
    }
    expect(events.filter((e) => e.type === 'auth_failed').length).toBeGreaterThanOrEqual(cases.length)
  })

  it("refuses a publish to another tenant's asset, to the wrong site, or to a non-telemetry topic: closes the connection, stores nothing, reports it", async () => {
    const reports = await errorMonitor('mon-deny')
    const denied: [string, string][] = [
      ['prognos/lyon/pump-b/telemetry', 'MQTT_TOPIC_DENIED'], // acme's asset
      ['prognos/paris/pump-1/telemetry', 'MQTT_TOPIC_DENIED'], // own asset, wrong site
      ['prognos/lyon/pump-1/status', 'MQTT_TOPIC_INVALID'],
    ]
    for (const [topic, code] of denied) {
      const c = await deviceClient(`dev-deny-${code}`)
      const closed = new Promise<void>((resolve) => c.once('close', () => resolve()))
      let acked = false
      c.publish(topic, JSON.stringify({ ts: Date.now(), values: { temp: 99.5 } }), { qos: 1 }, (err) => (acked = !err))
      await closed
      expect(acked, topic).toBe(false)
      const report = await waitFor(() => reports.find((r) => r.topic === topic), 5000, `the report on ${topic}`)
      expect(report).toMatchObject({ topic, code, details: null })
      expect(report.message).toContain(topic)
    }
    expect(await storedValues(t, 'acme', 'pump-b', 'temp')).toEqual([])
    expect(await storedValues(t, 'default', 'pump-1', 'temp')).not.toContain(99.5)
    expect(broker.stats.tenant('default').denied).toBeGreaterThanOrEqual(3)
    expect(broker.stats.tenant('acme').denied).toBe(0)
  })

  it('reports malformed payloads on the tenant error topic, acknowledges them, and keeps serving the device', async () => {
    const reports = await errorMonitor('mon-bad')
    const c = await deviceClient('dev-bad')
    const ts = Date.now()
    const before = broker.stats.tenant('default')
    await c.publishAsync(TOPIC, 'not json {', { qos: 1 })
    await c.publishAsync(TOPIC, '[1, 2]', { qos: 1 })
    await c.publishAsync(TOPIC, JSON.stringify({ records: [{ ts, values: { temp: 31.5 } }, { ts, values: { temp: 'hot' } }, { asset: 'pump-b', ts, values: { temp: 1 } }] }), { qos: 1 })
    await c.publishAsync(TOPIC, JSON.stringify({ ts, values: { nope: null } }), { qos: 0 })
    await c.publishAsync(TOPIC, JSON.stringify({ ts: ts + 1, values: { temp: 32.5 } }), { qos: 1 })
    expect(c.connected).toBe(true)
    expect(await storedValues(t, 'default', 'pump-1', 'temp')).toEqual(expect.arrayContaining([31.5, 32.5]))

    await waitFor(() => reports.length >= 4, 5000, 'four reports')
    expect(reports.map((r) => r.code)).toEqual(['MQTT_PAYLOAD_NOT_JSON', 'MQTT_PAYLOAD_MALFORMED', 'MQTT_RECORDS_REFUSED', 'MQTT_RECORDS_REFUSED'])
    expect(reports.every((r) => r.topic === TOPIC && r.message.length > 0)).toBe(true)
    expect(reports[2]!.details).toEqual({
      accepted: 1,
      refusedCount: 2,
      refused: [
        { index: 1, field: 'values.temp', reason: expect.any(String) },
        { index: 2, field: 'asset', reason: expect.stringContaining("must be 'pump-1'") },
      ],
    })
    expect(reports[3]!.details).toMatchObject({ accepted: 0, refusedCount: 1 })

    const after = broker.stats.tenant('default')
    expect(after.rejected.MQTT_PAYLOAD_NOT_JSON! - (before.rejected.MQTT_PAYLOAD_NOT_JSON ?? 0)).toBe(1)
    expect(after.rejected.MQTT_PAYLOAD_MALFORMED! - (before.rejected.MQTT_PAYLOAD_MALFORMED ?? 0)).toBe(1)
    expect(after.refusedRecords - before.refusedRecords).toBe(3)
  })

  it('lets a device subscribe only to its own tenant error topic', async () => {
    const c = await deviceClient('dev-sub')
    const suback = new Promise<number[]>((resolve) => c.on('packetreceive', (p) => p.cmd === 'suback' && resolve(p.granted as number[])))
    // mqtt.js reports a refused topic as an error of the whole SUBSCRIBE; the SUBACK says which.
    await c.subscribeAsync(['prognos/default/errors', 'prognos/acme/errors', 'prognos/+/+/telemetry', '#'], { qos: 1 }).catch(() => undefined)
    expect(await suback).toEqual([1, 128, 128, 128])
    expect(c.connected).toBe(true)
  })

  it('sends the PUBACK of a QoS 1 message only after its readings are committed', async () => {
    const c = await deviceClient('dev-durable')
    const slow = slowStore(300)
    try {
      const sentAt = performance.now()
      await c.publishAsync(TOPIC, JSON.stringify({ ts: Date.now(), values: { temp: 41.5 } }), { qos: 1 })
      const ackedAt = performance.now()
      expect(slow.commits).toHaveLength(1)
      expect(ackedAt).toBeGreaterThanOrEqual(slow.commits[0]!)
      expect(ackedAt - sentAt).toBeGreaterThanOrEqual(295)
    } finally {
      slow.restore()
    }
    expect(await storedValues(t, 'default', 'pump-1', 'temp')).toContain(41.5)
  })

  it('holds at most maxInFlight QoS 0 messages too', async () => {
    const small = await startEmbeddedBroker({ ...deps(), port: 0, maxInFlight: 2 })
    const slow = slowStore(100)
    try {
      const c = await connectClient(`mqtt://127.0.0.1:${small.port}`, { username: device.id, password: device.key, clientId: 'dev-pressure-qos0' })
      clients.push(c)
      let maxInFlight = 0
      const sampler = setInterval(() => (maxInFlight = Math.max(maxInFlight, small.inFlight)), 5)
      const base = Date.now() - 240_000
      await Promise.all(Array.from({ length: 8 }, (_, i) => c.publishAsync(TOPIC, JSON.stringify({ ts: base + i, values: { temp: 90 + i } }), { qos: 0 })))
      await waitFor(async () => (await storedValues(t, 'default', 'pump-1', 'temp')).filter((v) => v >= 90 && v < 98).length === 8, 10_000, 'the 8 QoS 0 messages')
      clearInterval(sampler)
      expect(maxInFlight).toBe(2)
      expect(small.inFlight).toBe(0)
    } finally {
      slow.restore()
      await small.close()
    }
  })

  it('holds at most maxInFlightBytes of payload in flight, whatever the message count allows', async () => {
    const base = Date.now() - 360_000
    const payloads = Array.from({ length: 8 }, (_, i) => JSON.stringify({ ts: base + i, values: { temp: 130 + i } }))
    const size = Buffer.byteLength(payloads[0]!)
    expect(payloads.every((p) => Buffer.byteLength(p) === size)).toBe(true)
    // Room for two messages' bytes, and for 100 messages by count.
    const small = await startEmbeddedBroker({ ...deps(), port: 0, maxInFlight: 100, maxInFlightBytes: 2 * size + 1 })
    const slow = slowStore(100)
    try {
      const c = await connectClient(`mqtt://127.0.0.1:${small.port}`, { username: device.id, password: device.key, clientId: 'dev-pressure-bytes' })
      clients.push(c)
      let maxInFlight = 0
      let maxBytes = 0
      const sampler = setInterval(() => {
        maxInFlight = Math.max(maxInFlight, small.inFlight)
        maxBytes = Math.max(maxBytes, small.inFlightBytes)
      }, 5)
      await Promise.all(payloads.map((p) => c.publishAsync(TOPIC, p, { qos: 1 })))
      clearInterval(sampler)
      expect(maxInFlight).toBe(2)
      expect(maxBytes).toBe(2 * size)
      expect(small.inFlight).toBe(0)
      expect(small.inFlightBytes).toBe(0)
    } finally {
      slow.restore()
      await small.close()
    }
    expect(await storedValues(t, 'default', 'pump-1', 'temp')).toEqual(expect.arrayContaining([130, 131, 132, 133, 134, 135, 136, 137]))
  })

  it('holds at most maxInFlight messages and slows acknowledgements instead of queueing', async () => {
    const seen: MqttIngestEvent[] = []
    const small = await startEmbeddedBroker({ ...deps(), port: 0, maxInFlight: 2, onEvent: (e) => seen.push(e) })
    const slow = slowStore(100)
    try {
      const c = await connectClient(`mqtt://127.0.0.1:${small.port}`, { username: device.id, password: device.key, clientId: 'dev-pressure' })
      clients.push(c)
      let maxInFlight = 0
      const sampler = setInterval(() => (maxInFlight = Math.max(maxInFlight, small.inFlight)), 5)
      const base = Date.now() - 120_000
      const started = performance.now()
      await Promise.all(Array.from({ length: 8 }, (_, i) => c.publishAsync(TOPIC, JSON.stringify({ ts: base + i, values: { temp: 50 + i } }), { qos: 1 })))
      clearInterval(sampler)
      expect(maxInFlight).toBe(2)
      // 8 messages, 2 at a time, ≥ 100 ms per commit.
      expect(performance.now() - started).toBeGreaterThanOrEqual(390)
      expect(seen.some((e) => e.type === 'saturated')).toBe(true)
      expect(small.inFlight).toBe(0)
    } finally {
      slow.restore()
      await small.close()
    }
    expect(await storedValues(t, 'default', 'pump-1', 'temp')).toEqual(expect.arrayContaining([50, 51, 52, 53, 54, 55, 56, 57]))
  })

  it('disconnects a device whose key was revoked, and refuses it afterwards', async () => {
    const key = await createKey(t, 'ingest')
    const c = await deviceClient('dev-revoked', key)
    await c.publishAsync(TOPIC, JSON.stringify({ ts: Date.now(), values: { temp: 61.5 } }), { qos: 1 })
    const res = await t.platform.app.inject({ method: 'DELETE', url: `/v1/keys/${key.id}`, headers: t.admin })
    expect(res.statusCode).toBe(204)
    await new Promise((r) => setTimeout(r, 80))
    const closed = new Promise<void>((resolve) => c.once('close', () => resolve()))
    c.publish(TOPIC, JSON.stringify({ ts: Date.now(), values: { temp: 62.5 } }), { qos: 1 })
    await closed
    expect(await storedValues(t, 'default', 'pump-1', 'temp')).not.toContain(62.5)
    await expect(connectClient(url, { username: key.id, password: key.key, clientId: 'dev-revoked-2' })).rejects.toMatchObject({ code: 4 })
  })

  it('refuses MQTT 5 at CONNECT (aedes 1.x speaks MQTT 3.1 and 3.1.1 only)', async () => {
    // CONNACK return code 1: unacceptable protocol version. So there is no negative PUBACK
    // (MQTT 5 reason codes) to give: a refused publish closes the connection instead.
    await expect(connectClient(url, { protocolVersion: 5, username: device.id, password: device.key, clientId: 'dev-v5' })).rejects.toMatchObject({ code: 1 })
  })

  it('keeps serving after all of the above', async () => {
    const c = await deviceClient('dev-last')
    await c.publishAsync(TOPIC, JSON.stringify({ ts: Date.now(), values: { temp: 71.5 } }), { qos: 1 })
    expect(await storedValues(t, 'default', 'pump-1', 'temp')).toContain(71.5)
  })
})

describe('embedded MQTT broker on a taken port', () => {
  it('rejects with MQTT_PORT_IN_USE and says how to use the running broker instead (Mosquitto holds 1883)', async () => {
    await requireMosquitto()
    const err = await startEmbeddedBroker({ ...deps(), port: 1883 }).then(
      () => null,
      (e: unknown) => e,
    )
    expect(err).toBeInstanceOf(MqttPortInUseError)
    expect(err).toMatchObject({ code: 'MQTT_PORT_IN_USE', name: 'MqttPortInUseError', port: 1883 })
    expect((err as Error).message).toContain('PROGNOS_MQTT_URL=mqtt://127.0.0.1:1883')
    expect((err as Error).message.split('. ').length).toBe(1)
  })
})
