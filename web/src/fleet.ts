/**
 * Pure fleet logic of the dashboard: each asset's status from its latest values, summaries per
 * site and for the fleet, the hierarchy as flat rows for a virtualised list, and live updates
 * merged into the latest values. No imports, so it is tested with the server's suites.
 */

export interface LatestValueLike {
  ts: number
  value: number
  min: number | null
  max: number | null
}

export interface FleetItemLike {
  assetId: string
  name: string
  type: string
  siteId: string | null
  parentId: string | null
  values: Record<string, LatestValueLike>
}

/** Worst first. `out-of-range`: a latest value outside its channel's expected range. */
export type AssetStatus = 'out-of-range' | 'stale' | 'ok' | 'no-data'
export const STATUS_ORDER: readonly AssetStatus[] = ['out-of-range', 'stale', 'ok', 'no-data']
export const STATUS_LABEL: Record<AssetStatus, string> = {
  'out-of-range': 'outside expected range',
  stale: 'no data for over a minute',
  ok: 'within range',
  'no-data': 'no readings yet',
}

/** An asset silent for longer than this is stale. */
export const STALE_MS = 60_000

export function isOutOfRange(v: { value: number; min: number | null; max: number | null }): boolean {
  return (v.min !== null && v.value < v.min) || (v.max !== null && v.value > v.max)
}

export function lastTs(item: FleetItemLike): number | null {
  let last: number | null = null
  for (const v of Object.values(item.values)) if (last === null || v.ts > last) last = v.ts
  return last
}

export function assetStatus(item: FleetItemLike, now: number): AssetStatus {
  const values = Object.values(item.values)
  if (values.length === 0) return 'no-data'
  if (values.some(isOutOfRange)) return 'out-of-range'
  return now - (lastTs(item) ?? now) > STALE_MS ? 'stale' : 'ok'
}

export const worst = (a: AssetStatus, b: AssetStatus): AssetStatus =>
  STATUS_ORDER.indexOf(a) <= STATUS_ORDER.indexOf(b) ? a : b

export type StatusCounts = Record<AssetStatus, number>
const zeroCounts = (): StatusCounts => ({ 'out-of-range': 0, stale: 0, ok: 0, 'no-data': 0 })

export interface SiteLike {
  id: string
  name: string
  latitude: number
  longitude: number
}

export interface SiteSummary<S extends SiteLike = SiteLike> {
  site: S
  assets: number
  counts: StatusCounts
  /** The worst status of its assets; `no-data` for a site without assets. */
  worst: AssetStatus
}

export interface FleetSummary<S extends SiteLike = SiteLike> {
  assets: number
  counts: StatusCounts
  sites: SiteSummary<S>[]
  /** Assets whose site is not among the sites (or who have none). */
  withoutSite: number
}

export function summarise<S extends SiteLike>(items: readonly FleetItemLike[], sites: readonly S[], now: number): FleetSummary<S> {
  const bySite = new Map(sites.map((site) => [site.id, { site, assets: 0, counts: zeroCounts(), worst: 'no-data' as AssetStatus }]))
  const counts = zeroCounts()
  let withoutSite = 0
  for (const item of items) {
    const status = assetStatus(item, now)
    counts[status]++
    const s = item.siteId === null ? undefined : bySite.get(item.siteId)
    if (s === undefined) {
      withoutSite++
      continue
    }
    s.assets++
    s.counts[status]++
    s.worst = s.assets === 1 ? status : worst(s.worst, status)
  }
  return { assets: items.length, counts, sites: [...bySite.values()], withoutSite }
}

// --- The hierarchy as flat rows -----------------------------------------------------------------

export type Row<I extends FleetItemLike = FleetItemLike> =
  | { kind: 'site'; key: string; siteId: string | null; name: string; assets: number; worst: AssetStatus }
  | { kind: 'asset'; key: string; item: I; depth: number; children: number; status: AssetStatus }

export interface RowFilter {
  text?: string
  siteId?: string
  type?: string
  status?: AssetStatus
}

const byName = (a: { name: string }, b: { name: string }): number => a.name.localeCompare(b.name, undefined, { numeric: true })

/**
 * Site → assets, and within a site parents before their children (string → cells), as one
 * flat list for a virtualised view. A filter keeps the matching assets and their ancestors,
 * so a matching cell still shows under its string. `collapsed` asset ids hide their children.
 */
export function hierarchyRows<I extends FleetItemLike>(
  items: readonly I[],
  siteNames: ReadonlyMap<string, string>,
  now: number,
  filter: RowFilter = {},
  collapsed: ReadonlySet<string> = new Set(),
): Row<I>[] {
  const byId = new Map(items.map((i) => [i.assetId, i]))
  const needle = (filter.text ?? '').trim().toLowerCase()
  const matches = (i: I): boolean =>
    (filter.siteId === undefined || filter.siteId === '' || i.siteId === filter.siteId) &&
    (filter.type === undefined || filter.type === '' || i.type === filter.type) &&
    (filter.status === undefined || assetStatus(i, now) === filter.status) &&
    (needle === '' || [i.name, i.assetId, i.type, i.siteId === null ? '' : (siteNames.get(i.siteId) ?? i.siteId)].some((s) => s.toLowerCase().includes(needle)))
  const shown = new Set<string>()
  for (const item of items) {
    if (!matches(item)) continue
    // Keep the ancestors, so the tree still reads from the top.
    for (let cur: I | undefined = item; cur !== undefined && !shown.has(cur.assetId); cur = cur.parentId === null ? undefined : byId.get(cur.parentId)) shown.add(cur.assetId)
  }
  const children = new Map<string | null, I[]>()
  for (const item of items) {
    if (!shown.has(item.assetId)) continue
    const parent = item.parentId !== null && shown.has(item.parentId) ? item.parentId : null
    const list = children.get(parent)
    if (list === undefined) children.set(parent, [item])
    else list.push(item)
  }
  const bySite = new Map<string | null, I[]>()
  for (const root of children.get(null) ?? []) {
    const site = root.siteId !== null && siteNames.has(root.siteId) ? root.siteId : null
    const list = bySite.get(site)
    if (list === undefined) bySite.set(site, [root])
    else list.push(root)
  }
  const siteName = (id: string | null): string => (id === null ? 'No site' : (siteNames.get(id) ?? id))
  const siteOrder = [...bySite.keys()].sort((a, b) => (a === null ? 1 : b === null ? -1 : byName({ name: siteName(a) }, { name: siteName(b) })))
  const rows: Row<I>[] = []
  for (const site of siteOrder) {
    const header = { kind: 'site' as const, key: `site:${site ?? ''}`, siteId: site, name: siteName(site), assets: 0, worst: 'no-data' as AssetStatus }
    rows.push(header)
    const visit = (list: I[], depth: number): void => {
      for (const item of [...list].sort(byName)) {
        const kids = children.get(item.assetId) ?? []
        const status = assetStatus(item, now)
        header.worst = header.assets === 0 ? status : worst(header.worst, status)
        header.assets++
        rows.push({ kind: 'asset', key: item.assetId, item, depth, children: kids.length, status })
        if (!collapsed.has(item.assetId)) visit(kids, depth + 1)
      }
    }
    visit(bySite.get(site) ?? [], 0)
  }
  return rows
}

// --- Live updates ------------------------------------------------------------------------------

export interface LiveReadingsLike {
  assetId: string
  series: { channel: string; ts: number[]; value: number[] }[]
}

/**
 * The items with each live event's newest value per channel applied (never moving a value
 * back in time). Returns the same array when nothing changed, so React skips the render.
 */
export function applyLive<I extends FleetItemLike>(items: readonly I[], events: readonly LiveReadingsLike[]): readonly I[] {
  if (events.length === 0) return items
  const index = new Map(items.map((item, i) => [item.assetId, i]))
  let next: I[] | null = null
  for (const event of events) {
    const i = index.get(event.assetId)
    if (i === undefined) continue
    for (const s of event.series) {
      const n = s.ts.length
      if (n === 0) continue
      let at = 0
      for (let k = 1; k < n; k++) if (s.ts[k]! >= s.ts[at]!) at = k
      const ts = s.ts[at]!
      const item: I = (next ?? items)[i]!
      const old = item.values[s.channel]
      if (old !== undefined && old.ts > ts) continue
      next ??= [...items]
      next[i] = { ...item, values: { ...item.values, [s.channel]: { ...(old ?? { min: null, max: null, unit: null }), ts, value: s.value[at]! } } }
    }
  }
  return next ?? items
}
