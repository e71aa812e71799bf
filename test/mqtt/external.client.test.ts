/**
 * The external-broker client against the local Mosquitto (shared with other runs: every
 * topic root, asset id and client id carries a random suffix) and, where the broker's side
 * of the acknowledgements must be watched, against a bare aedes broker.
 */
import { createServer, type AddressInfo } from 'node:net'
import { Aedes } from 'aedes'
import type { MqttClient } from 'mqtt'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { MqttConnectError, MqttTenantUnknownError, type MqttErrorReport } from '../../src/ingest/mqtt/errors.js'
import { connectExternalBroker, externalClientOptions, redactUrl, type ExternalBrokerConnection, type ExternalBrokerOptions } from '../../src/ingest/mqtt/external.client.js'
import { createLogger } from '../../src/logger.js'
import type { SeriesStore } from '../../src/store/ports.js'
import { seedAsset, startTestPlatform, type TestPlatform } from '../helpers/platform.js'
import { collect, connectClient, freePort, MOSQUITTO_URL, requireMosquitto, storedCounts, storedValues, uniqueSuffix, waitFor } from './mqtt.helpers.js'

const log = createLogger(process.env.TEST_LOG ?? 'silent')
const suffix = uniqueSuffix()
const ASSET = `pump-${suffix}`
const ROOT = `prognos-test-${suffix}`

let t: TestPlatform
const open: { end(): Promise<unknown> }[] = []

function deps(): Omit<ExternalBrokerOptions, 'url'> {
  return { tenantId: 'default', ingest: t.platform.ingest, meta: t.platform.stores.meta, log, cleanSession: true, reconnectPeriodMs: 100 }
}

async function upstream(opts: Partial<ExternalBrokerOptions> & { clientId: string }): Promise<ExternalBrokerConnection> {
  const up = await connectExternalBroker({ ...deps(), url: MOSQUITTO_URL, ...opts })
  open.push({ end: () => up.close() })
  return up
}

async function publisher(url = MOSQUITTO_URL): Promise<MqttClient> {
  const c = await connectClient(url, { clientId: `pub-${uniqueSuffix()}` })
  open.push({ end: () => c.endAsync(true) })
  return c
}

/** Makes the next `n` appends fail, then behaves again. */
function failingStore(n: number): { failed: () => number; restore(): void } {
  const series: SeriesStore = t.platform.stores.series
  const original = series.append
  let failures = 0
  series.append = async (batch) => {
    if (failures < n) {
      failures++
      throw new Error('disk on fire (test)')
    }
    return original.call(series, batch)
  }
  return { failed: () => failures, restore: () => void (series.append = original) }
}

beforeAll(async () => {
  await requireMosquitto()
  t = await startTestPlatform()
  await seedAsset(t, t.admin, ASSET, ['temp', 'vib'])
})

afterEach(async () => {
  for (const o of open.splice(0).reverse()) await o.end()
})

afterAll(async () => {
  await t?.close()
})

describe('external MQTT broker (Mosquitto)', () => {
  it('ingests QoS 1 and QoS 0 telemetry published to prognos/<site>/<asset>/telemetry', async () => {
    const up = await upstream({ clientId: `prognos-it-${suffix}` })
    expect(up.connected).toBe(true)
    const pub = await publisher()
    const topic = `prognos/lyon/${ASSET}/telemetry`
    const ts = Date.now()
    await pub.publishAsync(topic, JSON.stringify({ ts, values: { temp: 20.5 } }), { qos: 1 })
    await pub.publishAsync(topic, JSON.stringify({ records: [{ ts: ts + 1, values: { temp: 21.5, vib: 1 } }] }), { qos: 0 })
    await waitFor(async () => {
      const v = await storedValues(t, 'default', ASSET, 'temp')
      return v.includes(20.5) && v.includes(21.5)
    }, 5000, 'both messages stored')
    // The counters move once each message's ingest call returns, which can be a moment after its rows are visible.
    await waitFor(async () => (up.stats.tenant('default')?.records ?? 0) >= 2, 5000, 'both messages counted')
    expect(up.stats.tenant('default')).toMatchObject({ records: 2, readings: 3 })
  })

  it('keeps up with a burst: many QoS 1 messages in flight, each stored once', async () => {
    const up = await upstream({ clientId: `prognos-burst-${suffix}` })
    const pub = await publisher()
    const base = Date.now() - 300_000
    const before = (await storedCounts(t, 'default', ASSET)).vib ?? 0
    await Promise.all(Array.from({ length: 300 }, (_, i) => pub.publishAsync(`prognos/lyon/${ASSET}/telemetry`, JSON.stringify({ ts: base + i, values: { vib: i } }), { qos: 1 })))
    await waitFor(async () => (await storedCounts(t, 'default', ASSET)).vib === before + 300, 10_000, '300 readings')
    await up.close()
    expect(up.inFlight).toBe(0)
  })

  it('reports bad input and foreign assets on <root>/<tenant>/errors, and keeps ingesting', async () => {
    const up = await upstream({ clientId: `prognos-bad-${suffix}`, topicRoot: ROOT })
    const pub = await publisher()
    const reports = collect<MqttErrorReport>(pub, `${ROOT}/default/errors`)
    await pub.subscribeAsync(`${ROOT}/default/errors`, { qos: 0 })
    const topic = `${ROOT}/lyon/${ASSET}/telemetry`
    await pub.publishAsync(topic, '{oops', { qos: 1 })
    await pub.publishAsync(`${ROOT}/lyon/ghost-${suffix}/telemetry`, JSON.stringify({ ts: Date.now(), values: { temp: 1 } }), { qos: 1 })
    await pub.publishAsync(`${ROOT}/paris/${ASSET}/telemetry`, JSON.stringify({ ts: Date.now(), values: { temp: 1 } }), { qos: 1 })
    await pub.publishAsync(topic, JSON.stringify({ ts: Date.now(), values: { temp: 33.5 } }), { qos: 1 })
    await waitFor(() => reports.length >= 3, 5000, 'three reports')
    // Messages are handled concurrently, so reports may come in any order.
    expect(reports.map((r) => [r.code, r.topic])).toEqual(
      expect.arrayContaining([
        ['MQTT_PAYLOAD_NOT_JSON', topic],
        ['MQTT_TOPIC_DENIED', `${ROOT}/lyon/ghost-${suffix}/telemetry`],
        ['MQTT_TOPIC_DENIED', `${ROOT}/paris/${ASSET}/telemetry`],
      ]),
    )
    await waitFor(async () => (await storedValues(t, 'default', ASSET, 'temp')).includes(33.5), 5000, 'the good message')
    expect(up.stats.tenant('default')).toMatchObject({ denied: 2, rejected: { MQTT_PAYLOAD_NOT_JSON: 1 } })
  })

  it('does not acknowledge a message whose commit failed: the broker delivers it again and it is stored', async () => {
    const clientId = `prognos-redeliver-${suffix}`
    const store = failingStore(1)
    try {
      const up = await upstream({ clientId, cleanSession: false })
      const pub = await publisher()
      await pub.publishAsync(`prognos/lyon/${ASSET}/telemetry`, JSON.stringify({ ts: Date.now(), values: { temp: 44.5 } }), { qos: 1 })
      await waitFor(async () => (await storedValues(t, 'default', ASSET, 'temp')).includes(44.5), 10_000, 'the redelivered message')
      expect(store.failed()).toBe(1)
      expect(up.stats.tenant('default').failed).toBe(1)
    } finally {
      store.restore()
      for (const o of open.splice(0).reverse()) await o.end()
      // Drop the persistent session so that Mosquitto does not keep queueing for it.
      const cleanup = await connectClient(MOSQUITTO_URL, { clientId, clean: true })
      await cleanup.endAsync()
    }
  })

  it('fails clearly for an unknown tenant and an unreachable broker', async () => {
    await expect(connectExternalBroker({ ...deps(), url: MOSQUITTO_URL, tenantId: `nobody-${suffix}` })).rejects.toBeInstanceOf(MqttTenantUnknownError)
    const port = await freePort()
    const err = await connectExternalBroker({ ...deps(), url: `mqtt://user:secret@127.0.0.1:${port}`, clientId: `prognos-down-${suffix}` }).then(
      () => null,
      (e: unknown) => e,
    )
    expect(err).toBeInstanceOf(MqttConnectError)
    expect(err).toMatchObject({ code: 'MQTT_CONNECT_FAILED' })
    expect((err as Error).message).toContain(`127.0.0.1:${port}`)
    expect((err as Error).message).not.toContain('secret')
  })

  it('passes TLS and credential options to mqtt.js', () => {
    const o = externalClientOptions({ ...deps(), url: 'mqtts://broker.example:8883', username: 'u', password: 'p', ca: 'CA-PEM', cert: 'CERT-PEM', key: 'KEY-PEM', rejectUnauthorized: false, clientId: 'x' })
    expect(o).toMatchObject({ username: 'u', password: 'p', ca: ['CA-PEM'], cert: 'CERT-PEM', key: 'KEY-PEM', rejectUnauthorized: false, clientId: 'x', clean: true, protocolVersion: 4 })
    expect(externalClientOptions({ ...deps(), url: 'mqtt://h', cleanSession: undefined })).toMatchObject({ clientId: 'prognos-ingest-default', clean: false, rejectUnauthorized: true })
    expect(redactUrl('mqtts://user:pw@h:8883/')).toBe('mqtts://h:8883/')
  })
})

describe('external MQTT broker: acknowledgements as the broker sees them (bare aedes)', () => {
  it.each([
    ['pipelined', true],
    ['one at a time', false],
  ])('acknowledges each QoS 1 message only after its commit, in arrival order (%s)', async (_mode, pipelineAcks) => {
    const broker = await Aedes.createBroker()
    const server = createServer(broker.handle)
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const url = `mqtt://127.0.0.1:${(server.address() as AddressInfo).port}`
    const clientId = `prognos-acks-${suffix}-${pipelineAcks}`
    const acks: { at: number; payload: string }[] = []
    // aedes reports the acknowledged packet itself for persistent sessions only, hence cleanSession: false below.
    broker.on('ack', (packet, client) => {
      const p = packet as { payload?: unknown } | undefined
      if ((client as typeof client | undefined)?.id === clientId && p?.payload !== undefined) acks.push({ at: performance.now(), payload: String(p.payload) })
    })
    const series: SeriesStore = t.platform.stores.series
    const original = series.append
    const commits: number[] = []
    series.append = async (batch) => {
      await new Promise((r) => setTimeout(r, 200))
      const result = await original.call(series, batch)
      commits.push(performance.now())
      return result
    }
    try {
      const up = await connectExternalBroker({ ...deps(), url, clientId, cleanSession: false, pipelineAcks })
      open.push({ end: () => up.close() })
      const pub = await publisher(url)
      const ts = Date.now()
      const base = pipelineAcks ? 80 : 90
      const payloads = [0, 1, 2, 3, 4].map((i) => JSON.stringify({ ts: ts + i, values: { temp: base + i } }))
      for (const p of payloads) await pub.publishAsync(`prognos/lyon/${ASSET}/telemetry`, p, { qos: 1 })
      await waitFor(() => acks.length === 5, 5000, 'five PUBACKs at the broker')
      expect(acks.map((a) => a.payload)).toEqual(payloads)
      // Every PUBACK came after a commit, and the first one after the first commit.
      expect(commits.length).toBeGreaterThanOrEqual(1)
      expect(acks[0]!.at).toBeGreaterThanOrEqual(commits[0]!)
      for (const a of acks) expect(commits.some((c) => c <= a.at)).toBe(true)
      expect(await storedValues(t, 'default', ASSET, 'temp')).toEqual(expect.arrayContaining([0, 1, 2, 3, 4].map((i) => base + i)))
      // Pipelined, the five share commits; one at a time, each waits for its own.
      if (pipelineAcks) expect(commits.length).toBeLessThan(5)
      else expect(commits.length).toBe(5)
    } finally {
      series.append = original
      for (const o of open.splice(0).reverse()) await o.end()
      await new Promise<void>((resolve) => broker.close(() => resolve()))
      await new Promise<void>((resolve) => server.close(() => resolve()))
    }
  })

  it('fails with MQTT_CONNECT_FAILED when the broker refuses the subscription', async () => {
    const broker = await Aedes.createBroker({ authorizeSubscribe: (_client, _sub, done) => done(null, null) })
    const server = createServer(broker.handle)
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    try {
      const url = `mqtt://127.0.0.1:${(server.address() as AddressInfo).port}`
      const err = await connectExternalBroker({ ...deps(), url, clientId: `prognos-nosub-${suffix}` }).then(
        () => null,
        (e: unknown) => e,
      )
      expect(err).toBeInstanceOf(MqttConnectError)
      expect((err as Error).message).toContain("subscription to 'prognos/+/+/telemetry' was refused")
    } finally {
      await new Promise<void>((resolve) => broker.close(() => resolve()))
      await new Promise<void>((resolve) => server.close(() => resolve()))
    }
  })
})
