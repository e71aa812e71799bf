import { describe, expect, it } from 'vitest'
import { BatchTooLargeError, MalformedBatchError, MalformedJsonError } from './errors.js'
import { parseBatch, parseIngestBody, type ParsedBatch } from './records.parse.js'

/** The columns of a ParsedBatch as one object per record, for readable assertions. */
function rows(p: ParsedBatch): { index: number; asset: string; ts: number; values: Record<string, number> }[] {
  return Array.from({ length: p.count }, (_, r) => {
    const values: Record<string, number> = {}
    for (let k = p.start[r]!; k < p.start[r + 1]!; k++) values[p.names[p.name[k]!]!] = p.value[k]!
    return { index: p.index[r]!, asset: p.assets[p.asset[r]!]!, ts: p.ts[r]!, values }
  })
}

const NOW = Date.UTC(2026, 10, 22, 12)
const opts = { minTs: NOW - 86_400_000, maxTs: NOW + 300_000 }

describe('parseBatch', () => {
  it('accepts epoch ms and ISO 8601 with a zone', () => {
    const p = parseBatch(
      [
        { asset: 'a', ts: NOW, values: { v: 1 } },
        { asset: 'a', ts: '2026-11-22T12:00:00Z', values: { v: 2 } },
        { asset: 'a', ts: '2026-11-22T13:00:00.250+01:00', values: { v: 3 } },
      ],
      opts,
    )
    expect(p.refused).toEqual([])
    expect(rows(p).map((r) => r.ts)).toEqual([NOW, NOW, NOW + 250])
  })

  it.each([
    [{ asset: 'a', ts: '2026-11-22 12:00', values: { v: 1 } }, 'ts'],
    [{ asset: 'a', ts: '2026-11-22T12:00:00', values: { v: 1 } }, 'ts'],
    [{ asset: 'a', ts: Number.NaN, values: { v: 1 } }, 'ts'],
    [{ asset: 'a', ts: NOW, values: { v: Number.POSITIVE_INFINITY } }, 'values.v'],
    [{ asset: 'a', ts: NOW, values: { v: '1' } }, 'values.v'],
    [{ asset: '', ts: NOW, values: { v: 1 } }, 'asset'],
    [{ asset: 'a/b', ts: NOW, values: { v: 1 } }, 'asset'],
    [{ asset: 7, ts: NOW, values: { v: 1 } }, 'asset'],
    [{ asset: 'a', ts: NOW, values: [1] }, 'values'],
    [{ asset: 'a', ts: NOW - 2 * 86_400_000, values: { v: 1 } }, 'ts'],
    [{ asset: 'a', ts: NOW, values: { __proto__x: 1 } }, 'values.__proto__x'],
    [null, ''],
  ])('refuses %j at %s', (record, field) => {
    const p = parseBatch([record], opts)
    expect(p.count).toBe(0)
    expect(p.value).toHaveLength(0)
    expect(p.refused).toHaveLength(1)
    expect(p.refused[0]).toMatchObject({ index: 0, field })
  })

  it('keeps values in order and takes back the values of a record refused half-way', () => {
    const p = parseBatch(
      [
        { asset: 'a', ts: NOW, values: { z: 1, a: 2, m: 3 } },
        { asset: 'b', ts: NOW, values: { z: 4, bad: 'x' } },
        { asset: 'a', ts: NOW + 1, values: { m: 5 } },
      ],
      opts,
    )
    expect(rows(p)).toEqual([
      { index: 0, asset: 'a', ts: NOW, values: { z: 1, a: 2, m: 3 } },
      { index: 2, asset: 'a', ts: NOW + 1, values: { m: 5 } },
    ])
    expect(Array.from(p.value)).toEqual([1, 2, 3, 5])
    expect(p.refused).toEqual([{ index: 1, field: 'values.bad', reason: expect.stringContaining('number') }])
  })

  it('refuses a JSON __proto__ key as a channel name, never touching any prototype', () => {
    const p = parseIngestBody(`{"records":[{"asset":"a","ts":${NOW},"values":{"__proto__":{"polluted":1}}}]}`, { ...opts, maxRecords: 10 })
    expect(p.refused).toMatchObject([{ index: 0, field: 'values.__proto__' }])
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  })
})

describe('parseIngestBody', () => {
  it.each([
    ['{"records": [', MalformedJsonError],
    ['{"rows": []}', MalformedBatchError],
    ['[]', MalformedBatchError],
    ['{"records": [1, 2, 3]}', BatchTooLargeError],
  ])('refuses %s as a whole', (text, kind) => {
    expect(() => parseIngestBody(text, { ...opts, maxRecords: 2 })).toThrow(kind)
  })
})
