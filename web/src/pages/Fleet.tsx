import { useMemo, useState } from 'react'
import { getFleetLatest, listSites, type FleetItem, type FleetValue } from '../api'
import { formatAge, formatRange, isOutOfRange, withUnit } from '../format'
import { assetHref } from '../router'
import { usePoll } from '../usePoll'

const POLL_MS = 2000
const SITES_POLL_MS = 30_000
const KEY_VALUE_COUNT = 4
/** An asset silent for longer than this is shown as stale. */
const STALE_MS = 60_000
const NO_SITE = 'No site'

interface Row {
  item: FleetItem
  depth: number
}

interface SiteGroup {
  siteName: string
  rows: Row[]
}

const byName = (a: { name: string }, b: { name: string }): number =>
  a.name.localeCompare(b.name, undefined, { numeric: true })

/** Parents first, each followed by its children (indented), so strings sit above their cells. */
function treeOrder(items: FleetItem[]): Row[] {
  const ids = new Set(items.map((i) => i.assetId))
  const children = new Map<string | null, FleetItem[]>()
  for (const item of items) {
    const parent = item.parentId !== null && ids.has(item.parentId) ? item.parentId : null
    children.set(parent, [...(children.get(parent) ?? []), item])
  }
  const rows: Row[] = []
  const visit = (parent: string | null, depth: number): void => {
    for (const item of (children.get(parent) ?? []).sort(byName)) {
      rows.push({ item, depth })
      visit(item.assetId, depth + 1)
    }
  }
  visit(null, 0)
  return rows
}

function groupBySite(items: FleetItem[], siteNames: Map<string, string>): SiteGroup[] {
  const bySite = new Map<string, FleetItem[]>()
  for (const item of items) {
    const siteName = item.siteId === null ? NO_SITE : (siteNames.get(item.siteId) ?? item.siteId)
    bySite.set(siteName, [...(bySite.get(siteName) ?? []), item])
  }
  return [...bySite]
    .map(([siteName, siteItems]) => ({ siteName, rows: treeOrder(siteItems) }))
    .sort((a, b) => (a.siteName === NO_SITE ? 1 : b.siteName === NO_SITE ? -1 : byName({ name: a.siteName }, { name: b.siteName })))
}

const isOut = (v: FleetValue): boolean => isOutOfRange(v.value, v.min, v.max)

function ValueChip({ name, value }: { name: string; value: FleetValue }) {
  const out = isOut(value)
  const range = formatRange(value.min, value.max, value.unit)
  return (
    <li className={out ? 'chip out' : 'chip'} title={range === null ? undefined : `expected ${range}`}>
      <span className="chip-name">{name}</span> {withUnit(value.value, value.unit)}
      {out && <span className="visually-hidden"> (outside expected range {range})</span>}
    </li>
  )
}

function FleetRow({ row, siteName, now }: { row: Row; siteName: string; now: number }) {
  const { item, depth } = row
  const values = Object.entries(item.values)
  const lastTs = Math.max(...values.map(([, v]) => v.ts))
  const hidden = values.slice(KEY_VALUE_COUNT)
  const open = (): void => {
    location.hash = assetHref(item.assetId)
  }
  return (
    <tr
      className={values.some(([, v]) => isOut(v)) ? 'asset-row alarm' : 'asset-row'}
      data-testid="asset-row"
      data-asset-id={item.assetId}
      tabIndex={0}
      onClick={open}
      onKeyDown={(e) => {
        if (e.key === 'Enter') open()
      }}
    >
      <td>
        <div className="asset-name" style={{ paddingLeft: `${depth * 1.25}rem` }}>
          {item.name}
          <div className="asset-id">{item.assetId}</div>
        </div>
      </td>
      <td>{item.type}</td>
      <td>{siteName}</td>
      <td className={now - lastTs > STALE_MS ? 'age stale' : 'age'}>
        {values.length === 0 ? 'never' : formatAge(now - lastTs)}
      </td>
      <td>
        <ul className="chips">
          {values.slice(0, KEY_VALUE_COUNT).map(([name, value]) => (
            <ValueChip key={name} name={name} value={value} />
          ))}
          {hidden.length > 0 && (
            <li className={hidden.some(([, v]) => isOut(v)) ? 'chip more out' : 'chip more'}>+{hidden.length} more</li>
          )}
        </ul>
      </td>
    </tr>
  )
}

/** The fleet with its latest values, grouped by site, refreshed every 2 s. */
export function FleetPage() {
  const fleet = usePoll(getFleetLatest, POLL_MS, [])
  const sites = usePoll(listSites, SITES_POLL_MS, [])
  const [text, setText] = useState('')
  const [siteId, setSiteId] = useState('')
  const [type, setType] = useState('')

  const items = fleet.data?.items
  const siteNames = useMemo(() => new Map((sites.data?.items ?? []).map((s) => [s.id, s.name])), [sites.data])
  const types = useMemo(() => [...new Set((items ?? []).map((i) => i.type))].sort(), [items])
  const groups = useMemo(() => {
    const needle = text.trim().toLowerCase()
    const shown = (items ?? []).filter(
      (i) =>
        (siteId === '' || i.siteId === siteId) &&
        (type === '' || i.type === type) &&
        [i.name, i.assetId, i.type, i.siteId === null ? '' : (siteNames.get(i.siteId) ?? '')].some((s) =>
          s.toLowerCase().includes(needle),
        ),
    )
    return groupBySite(shown, siteNames)
  }, [items, siteNames, text, siteId, type])

  if (items === undefined) {
    return fleet.error === undefined ? (
      <p className="state">Loading fleet…</p>
    ) : (
      <p className="state error" role="alert">
        Could not load the fleet: {fleet.error.message}
      </p>
    )
  }
  if (items.length === 0) {
    return (
      <p className="state">
        No assets yet — start with <code>prognos start --demo</code> or send readings to <code>POST /v1/ingest</code>
      </p>
    )
  }

  const now = Date.now()
  const shownCount = groups.reduce((n, g) => n + g.rows.length, 0)
  return (
    <section aria-labelledby="fleet-title">
      <div className="toolbar">
        <h1 id="fleet-title">Fleet</h1>
        <input
          type="search"
          className="input"
          placeholder="Filter by name, id, type or site"
          aria-label="Filter assets"
          value={text}
          onChange={(e) => setText(e.target.value)}
        />
        <select className="input" aria-label="Site" value={siteId} onChange={(e) => setSiteId(e.target.value)}>
          <option value="">All sites</option>
          {(sites.data?.items ?? []).map((s) => (
            <option key={s.id} value={s.id}>
              {s.name}
            </option>
          ))}
        </select>
        <select className="input" aria-label="Type" value={type} onChange={(e) => setType(e.target.value)}>
          <option value="">All types</option>
          {types.map((t) => (
            <option key={t}>{t}</option>
          ))}
        </select>
        <span className="muted">
          {shownCount} of {items.length} assets
        </span>
        {fleet.error !== undefined && (
          <span className="error" role="status">
            Update failed ({fleet.error.message}), retrying…
          </span>
        )}
      </div>
      <div className="table-scroll">
        <table className="fleet-table" data-testid="fleet-table">
          <thead>
            <tr>
              <th scope="col">Asset</th>
              <th scope="col">Type</th>
              <th scope="col">Site</th>
              <th scope="col">Updated</th>
              <th scope="col">Latest values</th>
            </tr>
          </thead>
          {groups.map((group) => (
            <tbody key={group.siteName}>
              <tr className="group-row">
                <th colSpan={5} scope="colgroup">
                  {group.siteName} <span className="muted">· {group.rows.length}</span>
                </th>
              </tr>
              {group.rows.map((row) => (
                <FleetRow key={row.item.assetId} row={row} siteName={group.siteName} now={now} />
              ))}
            </tbody>
          ))}
        </table>
        {shownCount === 0 && <p className="state">No assets match the filter.</p>}
      </div>
    </section>
  )
}
