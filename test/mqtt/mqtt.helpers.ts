import { randomBytes } from 'node:crypto'
import { connect as tcpConnect, createServer, type AddressInfo } from 'node:net'
import mqtt from 'mqtt'
import type { IClientOptions, MqttClient } from 'mqtt'
import type { TestPlatform } from '../helpers/platform.js'

export const MOSQUITTO_URL = 'mqtt://127.0.0.1:1883'

/** A port nobody listens on right now. */
export async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}

/** A short random suffix for topics, asset ids and client ids shared with other runs. */
export const uniqueSuffix = (): string => randomBytes(4).toString('hex')

/** Fails loudly (never skips) when the local Mosquitto is not there. */
export async function requireMosquitto(): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const socket = tcpConnect({ host: '127.0.0.1', port: 1883 })
    const timer = setTimeout(() => {
      socket.destroy()
      reject(new Error('Mosquitto is not reachable on 127.0.0.1:1883 within 2 s: start it (bash scripts/services.sh, or apt-get install mosquitto)'))
    }, 2000)
    socket.once('connect', () => {
      clearTimeout(timer)
      socket.end()
      resolve()
    })
    socket.once('error', (err) => {
      clearTimeout(timer)
      reject(new Error(`Mosquitto is not reachable on 127.0.0.1:1883 (${err.message}): start it (bash scripts/services.sh, or apt-get install mosquitto)`))
    })
  })
}

/** An MQTT 3.1.1 client that does not reconnect on its own (tests want to see every refusal). */
export function connectClient(url: string, opts: IClientOptions = {}): Promise<MqttClient> {
  return mqtt.connectAsync(url, { protocolVersion: 4, reconnectPeriod: 0, connectTimeout: 5000, ...opts })
}

/** Creates an API key through the API and returns the key itself. */
export async function createKey(t: TestPlatform, role: string, tenantId?: string): Promise<{ id: string; key: string }> {
  const res = await t.platform.app.inject({ method: 'POST', url: '/v1/keys', headers: t.admin, payload: { name: `mqtt-${role}`, role, ...(tenantId ? { tenantId } : {}) } })
  if (res.statusCode !== 201) throw new Error(`key creation failed: ${res.statusCode} ${res.body}`)
  const key = (res.json() as { key: string }).key
  return { id: key.split('_')[1]!, key }
}

/** Collects the JSON messages a client receives on one topic. */
export function collect<T = unknown>(client: MqttClient, topic: string): T[] {
  const got: T[] = []
  client.on('message', (t, payload) => {
    if (t === topic) got.push(JSON.parse(payload.toString('utf8')) as T)
  })
  return got
}

/** Polls `check` until it returns a value other than undefined/false, or fails after `timeoutMs`. */
export async function waitFor<T>(check: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 5000, what = 'condition'): Promise<T> {
  const until = Date.now() + timeoutMs
  for (;;) {
    const v = await check()
    if (v !== undefined && v !== false) return v
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 20))
  }
}

/** Number of readings stored per channel of an asset over the last day and the next hour. */
export async function storedCounts(t: TestPlatform, tenantId: string, assetId: string): Promise<Record<string, number>> {
  const now = Date.now()
  const res = await t.platform.query.readings(tenantId, assetId, { from: now - 86_400_000, to: now + 3_600_000, maxPoints: 20_000 })
  const out: Record<string, number> = {}
  for (const s of res.series) out[s.channel] = s.mode === 'raw' ? s.ts.length : s.count.reduce((a, b) => a + b, 0)
  return out
}

/** Stored raw values of one channel. */
export async function storedValues(t: TestPlatform, tenantId: string, assetId: string, channel: string): Promise<number[]> {
  const now = Date.now()
  const res = await t.platform.query.readings(tenantId, assetId, { from: now - 86_400_000, to: now + 3_600_000, maxPoints: 20_000, channels: [channel] })
  const s = res.series[0]
  return s && s.mode === 'raw' ? s.value : []
}
