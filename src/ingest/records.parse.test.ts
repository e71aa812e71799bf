import { describe, expect, it } from 'vitest'
import { parseRecords } from './records.parse.js'

const NOW = Date.UTC(2026, 10, 22, 12)
const opts = { minTs: NOW - 86_400_000, maxTs: NOW + 300_000 }

describe('parseRecords', () => {
  it('accepts epoch ms and ISO 8601 with a zone', () => {
    const { records, refused } = parseRecords(
      [
        { asset: 'a', ts: NOW, values: { v: 1 } },
        { asset: 'a', ts: '2026-11-22T12:00:00Z', values: { v: 2 } },
        { asset: 'a', ts: '2026-11-22T13:00:00.250+01:00', values: { v: 3 } },
      ],
      opts,
    )
    expect(refused).toEqual([])
    expect(records.map((r) => r.ts)).toEqual([NOW, NOW, NOW + 250])
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
    [null, ''],
  ])('refuses %j at %s', (record, field) => {
    const { records, refused } = parseRecords([record], opts)
    expect(records).toEqual([])
    expect(refused).toHaveLength(1)
    expect(refused[0]).toMatchObject({ index: 0, field })
  })

  it('keeps the order of names and values', () => {
    const { records } = parseRecords([{ asset: 'a', ts: NOW, values: { z: 1, a: 2, m: 3 } }], opts)
    expect(records[0]).toMatchObject({ names: ['z', 'a', 'm'], values: [1, 2, 3] })
  })
})
