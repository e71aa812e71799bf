import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { seedAsset, startTestPlatform, type TestPlatform } from '../helpers/platform.js'

let t: TestPlatform
const now = Date.now()

beforeAll(async () => {
  t = await startTestPlatform({ PROGNOS_BODY_LIMIT_BYTES: '200000', PROGNOS_INGEST_MAX_BATCH_RECORDS: '500' })
  await seedAsset(t, t.admin, 'pump-1', ['temp', 'vib'])
})
afterAll(() => t.close())

const post = (payload: unknown, headers: Record<string, string> = {}) =>
  t.platform.app.inject({ method: 'POST', url: '/v1/ingest', headers: { ...t.admin, 'content-type': 'application/json', ...headers }, payload: typeof payload === 'string' ? payload : JSON.stringify(payload) })

/** Every reading stored for pump-1 in the last day. */
async function stored(): Promise<{ channel: string; ts: number[]; value: number[] }[]> {
  const res = await t.platform.app.inject({ method: 'GET', url: `/v1/assets/pump-1/readings?from=${now - 86_400_000}&to=${now + 3_600_000}&maxPoints=20000`, headers: t.admin })
  return (res.json() as { series: { channel: string; ts: number[]; value: number[] }[] }).series
}

describe('POST /v1/ingest', () => {
  it('stores wide records and answers with the accepted count', async () => {
    const res = await post({ records: [{ asset: 'pump-1', ts: now - 1000, values: { temp: 20.5, vib: 0.1 } }, { asset: 'pump-1', ts: new Date(now - 500).toISOString(), values: { temp: 21 } }] })
    expect(res.statusCode).toBe(200)
    expect(res.json()).toEqual({ accepted: 2, readings: 3, duplicates: 0, refused: [] })
    const series = await stored()
    expect(series.find((s) => s.channel === 'temp')?.value).toEqual([20.5, 21])
    expect(series.find((s) => s.channel === 'vib')?.value).toEqual([0.1])
  })

  it('a resent batch is answered like the first time, with its duplicates counted, and stored once', async () => {
    // The newest readings of pump-1, so that a duplicate would move its latest values if it could.
    const ts = now + 120_000
    const records = [{ asset: 'pump-1', ts, values: { temp: 30, vib: 0.3 } }, { asset: 'pump-1', ts: ts + 1, values: { temp: 31 } }]
    expect((await post({ records })).json()).toEqual({ accepted: 2, readings: 3, duplicates: 0, refused: [] })
    const latest = async () => ((await t.platform.app.inject({ method: 'GET', url: '/v1/assets/pump-1/latest', headers: t.admin })).json() as { values: Record<string, unknown> }).values
    expect((await latest()).temp).toEqual({ ts: ts + 1, value: 31 })
    // The retry of a batch whose answer was lost, plus one new reading; the resent temp
    // at ts + 1 carries another value: the first write wins.
    const retry = [...records.slice(0, 1), { asset: 'pump-1', ts: ts + 1, values: { temp: 99, vib: 0.4 } }]
    expect((await post({ records: retry })).json()).toEqual({ accepted: 2, readings: 4, duplicates: 3, refused: [] })
    const series = await stored()
    const temp = series.find((s) => s.channel === 'temp')!
    const vib = series.find((s) => s.channel === 'vib')!
    expect(temp.ts.filter((x) => x === ts || x === ts + 1)).toEqual([ts, ts + 1])
    expect(temp.value[temp.ts.indexOf(ts + 1)]).toBe(31)
    expect(vib.ts.filter((x) => x === ts || x === ts + 1)).toEqual([ts, ts + 1])
    // Only the stored reading moved the latest values: the dropped temp 99 did not.
    expect(await latest()).toEqual({ temp: { ts: ts + 1, value: 31 }, vib: { ts: ts + 1, value: 0.4 } })
    const metrics = await t.platform.app.inject({ method: 'GET', url: '/metrics' })
    expect(metrics.body).toMatch(/^prognos_ingest_duplicates_total 3$/m)
  })

  it('refuses bad records one by one, naming index, field and reason, and stores none of them', async () => {
    const before = (await stored()).reduce((n, s) => n + s.ts.length, 0)
    const records = [
      { asset: 'pump-1', ts: now, values: { temp: 1, vib: 2 } }, // 0 ok
      { asset: 'pump-1', ts: now, values: { temp: 'hot' } }, // 1 wrong type
      { asset: 'pump-1', ts: 'yesterday', values: { temp: 1 } }, // 2 bad ts
      { asset: 'pump-1', ts: now + 86_400_000, values: { temp: 1 } }, // 3 future
      { asset: 'pump-1', ts: 1000, values: { temp: 1 } }, // 4 too old (seconds mistaken for ms)
      { asset: 'ghost', ts: now, values: { temp: 1 } }, // 5 unknown asset
      { asset: 'pump-1', ts: now, values: {} }, // 6 empty
      { asset: 'pump-1', values: { temp: 1 } }, // 7 missing ts
      { asset: 'pump-1', ts: now, values: { temp: 2, vib: null } }, // 8 null value: whole record refused
      'not a record', // 9
      { asset: 'pump-1', ts: now, values: { temp: 3 }, extra: true }, // 10 unknown field
      { asset: 'pump-1', ts: now, values: { 'bad name!': 3 } }, // 11 bad channel name
    ]
    const res = await post({ records })
    expect(res.statusCode).toBe(200)
    const body = res.json() as { accepted: number; readings: number; refused: { index: number; field: string; reason: string }[] }
    expect(body.accepted).toBe(1)
    expect(body.readings).toBe(2)
    expect(body.refused.map((r) => [r.index, r.field])).toEqual([
      [1, 'values.temp'],
      [2, 'ts'],
      [3, 'ts'],
      [4, 'ts'],
      [5, 'asset'],
      [6, 'values'],
      [7, 'ts'],
      [8, 'values.vib'],
      [9, ''],
      [10, 'extra'],
      [11, 'values.bad name!'],
    ])
    for (const r of body.refused) expect(r.reason.length).toBeGreaterThan(5)
    const after = (await stored()).reduce((n, s) => n + s.ts.length, 0)
    expect(after - before).toBe(2)
  })

  it('refuses NaN and Infinity: as JSON literals the body is malformed, and overflowing numbers are not finite', async () => {
    const nan = await post('{"records":[{"asset":"pump-1","ts":1,"values":{"temp":NaN}}]}')
    expect(nan.statusCode).toBe(400)
    expect(nan.json()).toMatchObject({ code: 'MALFORMED_JSON' })
    const inf = await post(`{"records":[{"asset":"pump-1","ts":${now},"values":{"temp":1e400}}]}`)
    expect(inf.statusCode).toBe(400)
    expect(inf.json()).toMatchObject({ code: 'INGEST_REJECTED', details: [{ index: 0, field: 'values.temp', reason: expect.stringMatching(/finite/) }] })
  })

  it.each([
    ['truncated JSON', '{"records": [', 400, 'MALFORMED_JSON'],
    ['no records array', '{"rows": []}', 400, 'INGEST_MALFORMED'],
    ['records not an array', '{"records": {}}', 400, 'INGEST_MALFORMED'],
    ['a JSON array body', '[]', 400, 'INGEST_MALFORMED'],
  ])('%s answers %i %s', async (_name, body, status, code) => {
    const res = await post(body)
    expect(res.statusCode).toBe(status)
    expect(res.json()).toMatchObject({ code })
  })

  it('answers 413 for a body over the size limit and for too many records, storing nothing', async () => {
    const before = (await stored()).reduce((n, s) => n + s.ts.length, 0)
    const big = { records: Array.from({ length: 450 }, (_, i) => ({ asset: 'pump-1', ts: now - i, values: { temp: i, vib: i, pad: 'x'.repeat(600) } })) }
    const tooBig = await post(big)
    expect(tooBig.statusCode).toBe(413)
    expect(tooBig.json()).toMatchObject({ code: 'PAYLOAD_TOO_LARGE' })
    const many = { records: Array.from({ length: 501 }, (_, i) => ({ asset: 'pump-1', ts: now - i, values: { temp: i } })) }
    const tooMany = await post(many)
    expect(tooMany.statusCode).toBe(413)
    expect(tooMany.json()).toMatchObject({ code: 'INGEST_BATCH_TOO_LARGE' })
    expect((await stored()).reduce((n, s) => n + s.ts.length, 0)).toBe(before)
  })

  it('creates unknown channels by default', async () => {
    const res = await post({ records: [{ asset: 'pump-1', ts: now, values: { pressure: 3.2 } }] })
    expect(res.statusCode).toBe(200)
    const asset = (await t.platform.app.inject({ method: 'GET', url: '/v1/assets/pump-1', headers: t.admin })).json() as { channels: { name: string }[] }
    expect(asset.channels.map((c) => c.name)).toContain('pressure')
  })
})

describe('POST /v1/ingest with unknown channels refused', () => {
  it('refuses the whole record that names an unknown channel', async () => {
    const r = await startTestPlatform({ PROGNOS_INGEST_UNKNOWN_CHANNELS: 'refuse' })
    try {
      await seedAsset(r, r.admin, 'm-1', ['a'])
      const res = await r.platform.app.inject({
        method: 'POST',
        url: '/v1/ingest',
        headers: r.admin,
        payload: { records: [{ asset: 'm-1', ts: now, values: { a: 1, b: 2 } }, { asset: 'm-1', ts: now, values: { a: 5 } }] },
      })
      expect(res.json()).toMatchObject({ accepted: 1, readings: 1, refused: [{ index: 0, field: 'values.b' }] })
      const latest = (await r.platform.app.inject({ method: 'GET', url: '/v1/assets/m-1/latest', headers: r.admin })).json() as { values: Record<string, { value: number }> }
      expect(latest.values).toEqual({ a: { ts: now, value: 5 } })
    } finally {
      await r.close()
    }
  })
})

describe('POST /v1/ingest under load', () => {
  it('answers 503 with Retry-After while too many bytes wait for their commit, and admits again after', async () => {
    const r = await startTestPlatform({ PROGNOS_INGEST_MAX_INFLIGHT_BYTES: '2048' })
    try {
      await seedAsset(r, r.admin, 'm-1', ['a'])
      // Hold the first commit open: the store's append waits for a gate (instrumentation, not a mock).
      const series = r.platform.stores.series
      const append = series.append.bind(series)
      let open!: () => void
      const gate = new Promise<void>((resolve) => (open = resolve))
      series.append = async (b) => {
        await gate
        return append(b)
      }
      const records = (n: number) => ({ records: Array.from({ length: 20 }, (_, i) => ({ asset: 'm-1', ts: now - n * 100 - i, values: { a: i } })) })
      const first = r.platform.app.inject({ method: 'POST', url: '/v1/ingest', headers: r.admin, payload: records(1) })
      // Let the first request reach the store.
      await new Promise((resolve) => setTimeout(resolve, 200))
      const second = await r.platform.app.inject({ method: 'POST', url: '/v1/ingest', headers: r.admin, payload: records(2) })
      expect(second.statusCode).toBe(503)
      expect(second.headers['retry-after']).toBe('1')
      expect(second.json()).toMatchObject({ code: 'INGEST_BUSY' })
      open()
      expect((await first).statusCode).toBe(200)
      const third = await r.platform.app.inject({ method: 'POST', url: '/v1/ingest', headers: r.admin, payload: records(3) })
      expect(third.statusCode).toBe(200)
    } finally {
      await r.close()
    }
  })
})
