import { describe, expect, it } from 'vitest'
import { applyLive, assetStatus, hierarchyRows, summarise, type FleetItemLike } from '../../web/src/fleet.js'

const NOW = 1_700_000_000_000
const v = (value: number, ageMs = 1000, min: number | null = 0, max: number | null = 10) => ({ ts: NOW - ageMs, value, min, max })
const item = (assetId: string, values: FleetItemLike['values'], extra: Partial<FleetItemLike> = {}): FleetItemLike => ({
  assetId,
  name: assetId.toUpperCase(),
  type: 'battery_string',
  siteId: 'lyon',
  parentId: null,
  values,
  ...extra,
})

describe('assetStatus', () => {
  it.each([
    ['no values', {}, 'no-data'],
    ['in range and fresh', { a: v(5) }, 'ok'],
    ['above max', { a: v(5), b: v(11) }, 'out-of-range'],
    ['below min', { a: v(-1) }, 'out-of-range'],
    ['no range at all', { a: v(1e9, 1000, null, null) }, 'ok'],
    ['silent for two minutes', { a: v(5, 120_000) }, 'stale'],
    ['out of range beats stale', { a: v(50, 120_000) }, 'out-of-range'],
  ] as const)('%s → %s', (_name, values, expected) => {
    expect(assetStatus(item('x', values), NOW)).toBe(expected)
  })
})

describe('summarise', () => {
  const sites = [
    { id: 'lyon', name: 'Lyon', latitude: 45.7, longitude: 4.8 },
    { id: 'oslo', name: 'Oslo', latitude: 59.9, longitude: 10.7 },
    { id: 'empty', name: 'Empty', latitude: 0, longitude: 0 },
  ]
  it('counts statuses for the fleet and takes the worst per site', () => {
    const s = summarise(
      [item('a', { x: v(5) }), item('b', { x: v(50) }), item('c', { x: v(5, 300_000) }, { siteId: 'oslo' }), item('d', {}, { siteId: null }), item('e', { x: v(1) }, { siteId: 'gone' })],
      sites,
      NOW,
    )
    expect(s.assets).toBe(5)
    expect(s.counts).toEqual({ 'out-of-range': 1, stale: 1, ok: 2, 'no-data': 1 })
    expect(s.withoutSite).toBe(2)
    const bySite = Object.fromEntries(s.sites.map((x) => [x.site.id, x]))
    expect(bySite.lyon).toMatchObject({ assets: 2, worst: 'out-of-range' })
    expect(bySite.oslo).toMatchObject({ assets: 1, worst: 'stale' })
    expect(bySite.empty).toMatchObject({ assets: 0, worst: 'no-data' })
  })
})

describe('hierarchyRows', () => {
  const names = new Map([
    ['lyon', 'Lyon'],
    ['oslo', 'Oslo'],
  ])
  const fleet = [
    item('cell-10', { v: v(2) }, { parentId: 'bs-1', type: 'cell' }),
    item('cell-2', { v: v(20) }, { parentId: 'bs-1', type: 'cell' }),
    item('bs-1', { v: v(5) }),
    item('tf-1', { v: v(5) }, { siteId: 'oslo', type: 'turbofan' }),
    item('loose', {}, { siteId: null }),
  ]
  const shape = (rows: ReturnType<typeof hierarchyRows>) => rows.map((r) => (r.kind === 'site' ? `# ${r.name} ${r.assets} ${r.worst}` : `${'  '.repeat(r.depth)}${r.item.assetId}`))

  it('puts sites in name order, parents before their children in numeric name order, and assets without a site last', () => {
    expect(shape(hierarchyRows(fleet, names, NOW))).toEqual(['# Lyon 3 out-of-range', 'bs-1', '  cell-2', '  cell-10', '# Oslo 1 ok', 'tf-1', '# No site 1 no-data', 'loose'])
  })

  it('keeps the ancestors of a matching child, and drops what does not match', () => {
    expect(shape(hierarchyRows(fleet, names, NOW, { text: 'cell-10' }))).toEqual(['# Lyon 2 ok', 'bs-1', '  cell-10'])
    expect(shape(hierarchyRows(fleet, names, NOW, { status: 'out-of-range' }))).toEqual(['# Lyon 2 out-of-range', 'bs-1', '  cell-2'])
    expect(shape(hierarchyRows(fleet, names, NOW, { siteId: 'oslo' }))).toEqual(['# Oslo 1 ok', 'tf-1'])
    expect(hierarchyRows(fleet, names, NOW, { text: 'nothing like it' })).toEqual([])
  })

  it('hides the children of a collapsed parent and still counts how many it has', () => {
    const rows = hierarchyRows(fleet, names, NOW, {}, new Set(['bs-1']))
    expect(shape(rows)).toEqual(['# Lyon 1 ok', 'bs-1', '# Oslo 1 ok', 'tf-1', '# No site 1 no-data', 'loose'])
    expect(rows.find((r) => r.kind === 'asset' && r.item.assetId === 'bs-1')).toMatchObject({ children: 2 })
  })
})

describe('applyLive', () => {
  const items = [item('a', { x: v(5, 5000) }), item('b', { x: v(5, 5000) })]

  it('takes the newest value of each channel and keeps the expected range', () => {
    const next = applyLive(items, [{ assetId: 'a', series: [{ channel: 'x', ts: [NOW - 2000, NOW, NOW - 1000], value: [1, 42, 3] }, { channel: 'new', ts: [NOW], value: [7] }] }])
    expect(next[0]!.values.x).toEqual({ ts: NOW, value: 42, min: 0, max: 10 })
    expect(next[0]!.values.new).toMatchObject({ ts: NOW, value: 7, min: null, max: null })
    expect(next[1]).toBe(items[1])
  })

  it('never moves a value back in time, and returns the same array when nothing changed', () => {
    expect(applyLive(items, [{ assetId: 'a', series: [{ channel: 'x', ts: [NOW - 60_000], value: [9] }] }])).toBe(items)
    expect(applyLive(items, [{ assetId: 'unknown', series: [{ channel: 'x', ts: [NOW], value: [9] }] }])).toBe(items)
    expect(applyLive(items, [])).toBe(items)
  })
})
