import { sharedData } from '../../test/helpers/data.js'
import { readFileSync } from 'node:fs'
import { gunzipSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { CMAPSS_CHANNELS, createCmapssReplay, parseCmapss } from './cmapss.replay.js'

const sensors = (base: number): string => Array.from({ length: 21 }, (_, i) => (base + i).toFixed(2)).join(' ')
const SAMPLE = [
  `1 1 -0.0007 -0.0004 100.0 ${sensors(500)}  `,
  `1 2 0.0019 -0.0003 100.0 ${sensors(501)}`,
  '',
  `2 1 0.0010 0.0002 100.0 ${sensors(600)}`,
  `1 3 -0.0043 0.0003 100.0 ${sensors(502)}`,
  '   ',
  '',
].join('\n')

const T0 = Date.UTC(2025, 0, 1)

describe('parseCmapss', () => {
  it('parses rows, tolerating trailing spaces and blank lines', () => {
    const rows = parseCmapss(SAMPLE)
    expect(rows).toHaveLength(4)
    expect(rows[0]).toEqual({ unit: 1, cycle: 1, settings: [-0.0007, -0.0004, 100], sensors: Array.from({ length: 21 }, (_, i) => 500 + i) })
    expect(rows[2]?.unit).toBe(2)
    expect(rows[3]?.sensors[20]).toBe(522)
    expect(parseCmapss('')).toEqual([])
    expect(parseCmapss(SAMPLE.replace(/\n/g, '\r\n'))).toHaveLength(4)
  })

  it.each([
    ['too few columns', `1 1 0 0 100\n1 2 0 0 100 ${sensors(1)}`, /line 1\b.*26 columns/],
    ['not a number', `1 1 0 0 100 ${sensors(1)}\n\n1 2 0 0 abc ${sensors(1)}`, /line 3\b.*column 5/],
    ['non-integer cycle', `1 1.5 0 0 100 ${sensors(1)}`, /line 1\b.*positive integers/],
    ['hex', `1 1 0 0 0x10 ${sensors(1)}`, /line 1\b/],
    ['too many columns', `1 1 0 0 100 ${sensors(1)} 7`, /line 1\b/],
  ])('throws naming the line: %s', (_name, text, re) => {
    expect(() => parseCmapss(text)).toThrow(re)
  })

  const fd001 = sharedData('cmapss/train_FD001.txt.gz')
  it('parses train_FD001: 100 units, 20631 rows', () => {
    const rows = parseCmapss(gunzipSync(readFileSync(fd001)).toString('utf8'))
    expect(rows).toHaveLength(20631)
    const units = new Map<number, number>()
    for (const r of rows) units.set(r.unit, Math.max(units.get(r.unit) ?? 0, r.cycle))
    expect(units.size).toBe(100)
    expect(units.get(1)).toBe(192)
    expect(Math.min(...units.values())).toBe(128)
    expect(Math.max(...units.values())).toBe(362)
    expect(rows[0]?.sensors[1]).toBe(641.82)
  })

  const fd004 = sharedData('cmapss/test_FD004.txt.gz')
  it('parses test_FD004 (six operating conditions)', () => {
    const rows = parseCmapss(gunzipSync(readFileSync(fd004)).toString('utf8'))
    expect(new Set(rows.map((r) => r.unit)).size).toBe(248)
    expect(new Set(rows.map((r) => r.settings[2])).size).toBeGreaterThan(1)
  })
})

describe('createCmapssReplay', () => {
  it('turns units into turbofan assets with the C-MAPSS channels', () => {
    const rp = createCmapssReplay(parseCmapss(SAMPLE), { siteId: 'lyon-fr', startTs: T0, cycleMs: 1000 })
    expect(rp.assets.map((a) => a.id)).toEqual(['cmapss-001', 'cmapss-002'])
    expect(rp.assets[0]).toMatchObject({ type: 'turbofan', siteId: 'lyon-fr', parentId: null, metadata: { unit: 1, cycles: 3 } })
    expect(CMAPSS_CHANNELS.map((c) => c.name)).toEqual(['setting1', 'setting2', 'setting3', ...Array.from({ length: 21 }, (_, i) => `s${i + 1}`), 'cycle'])
    const custom = createCmapssReplay(parseCmapss(SAMPLE), { siteId: 's', startTs: T0, cycleMs: 1000, units: [2], idPrefix: 'fd001' })
    expect(custom.assets.map((a) => a.id)).toEqual(['fd001-002'])
    expect(() => createCmapssReplay(parseCmapss(SAMPLE), { siteId: 's', startTs: T0, cycleMs: 1000, units: [9] })).toThrow(/unit 9/)
  })

  it('emits one cycle per unit per cycleMs, in cycle order, then is done', () => {
    const rp = createCmapssReplay(parseCmapss(SAMPLE), { siteId: 's', startTs: T0, cycleMs: 2000 })
    const seen: [string, number, number][] = []
    for (let s = -1; s <= 8 && !rp.done; s++) for (const r of rp.tick(T0 + s * 1000)) seen.push([r.asset, (r.ts - T0) / 1000, r.values.cycle as number])
    expect(seen).toEqual([
      ['cmapss-001', 0, 1],
      ['cmapss-002', 0, 1],
      ['cmapss-001', 2, 2],
      ['cmapss-001', 4, 3],
    ])
    expect(rp.done).toBe(true)
    expect(rp.tick(T0 + 60_000)).toEqual([])
  })

  it('carries all 24 values and catches up one cycle per tick when the caller is slow', () => {
    const rp = createCmapssReplay(parseCmapss(SAMPLE), { siteId: 's', startTs: T0, cycleMs: 100, units: [1] })
    const a = rp.tick(T0 + 1000)
    const b = rp.tick(T0 + 2000)
    expect(a[0]?.values).toMatchObject({ cycle: 1, setting1: -0.0007, setting3: 100, s1: 500, s21: 520 })
    expect(Object.keys(a[0]?.values ?? {})).toHaveLength(25)
    expect(b[0]?.values.cycle).toBe(2)
    expect(() => rp.tick(T0)).toThrow(/backwards/)
  })

  const fd001 = sharedData('cmapss/train_FD001.txt.gz')
  it('replays FD001 unit 1 to its failure at cycle 192', () => {
    const rows = parseCmapss(gunzipSync(readFileSync(fd001)).toString('utf8'))
    const rp = createCmapssReplay(rows, { siteId: 's', startTs: T0, cycleMs: 1000, units: [1, 2] })
    let last = 0
    let n = 0
    for (let s = 0; !rp.done && s < 1000; s++) {
      for (const r of rp.tick(T0 + s * 1000)) {
        if (r.asset === 'cmapss-001') {
          expect(r.values.cycle).toBe(last + 1)
          last = r.values.cycle as number
        }
        n++
      }
    }
    expect(last).toBe(192)
    expect(n).toBe(192 + 287)
  })
})
