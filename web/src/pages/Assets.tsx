import { useVirtualizer } from '@tanstack/react-virtual'
import { memo, useCallback, useMemo, useRef, useState } from 'react'
import type { FleetItem } from '../api'
import { STATUS_COLOUR } from '../components/SiteMap'
import { hierarchyRows, isOutOfRange, lastTs, STATUS_LABEL, STATUS_ORDER, STALE_MS, type AssetStatus, type Row } from '../fleet'
import { formatAge, formatRange, withUnit } from '../format'
import { assetHref, hashParams } from '../router'
import { useFleet } from '../useFleet'

const KEY_VALUE_COUNT = 4
const ROW_PX = 48
const SITE_ROW_PX = 36
/**
 * Rows rendered beyond the visible ones. Each scroll frame mounts the rows coming into view and
 * unmounts those leaving it whatever this is, but every row kept in the page is layout and commit
 * work: a trace of a 200 px/frame fling put most of a frame in the scroll event's render and the
 * layout it forces. 4 covers one frame of that fling (48 px rows); 12 measured slower (bench/ui).
 */
const OVERSCAN = 4

function ValueChips({ item }: { item: FleetItem }) {
  const values = Object.entries(item.values)
  const hidden = values.slice(KEY_VALUE_COUNT)
  return (
    <ul className="chips">
      {values.slice(0, KEY_VALUE_COUNT).map(([name, v]) => {
        const out = isOutOfRange(v)
        const range = formatRange(v.min, v.max, v.unit)
        return (
          <li key={name} className={out ? 'chip out' : 'chip'} title={range === null ? undefined : `expected ${range}`}>
            <span className="chip-name">{name}</span> {withUnit(v.value, v.unit)}
            {out && <span className="visually-hidden"> (outside expected range {range})</span>}
          </li>
        )
      })}
      {hidden.length > 0 && <li className={hidden.some(([, v]) => isOutOfRange(v)) ? 'chip more out' : 'chip more'}>+{hidden.length} more</li>}
    </ul>
  )
}

function StatusDot({ status }: { status: AssetStatus }) {
  return <span className="status-dot" style={{ background: STATUS_COLOUR[status] }} title={STATUS_LABEL[status]} aria-label={STATUS_LABEL[status]} role="img" />
}

/** Memoised: while scrolling, only rows that come into view render. */
const AssetRow = memo(function AssetRow({ row, now, expanded, onToggle }: { row: Extract<Row<FleetItem>, { kind: 'asset' }>; now: number; expanded: boolean; onToggle: (id: string) => void }) {
  const { item, depth, children, status } = row
  const last = lastTs(item)
  return (
    <div className={`asset-row status-${status}`} role="row" data-testid="asset-row" data-asset-id={item.assetId} data-status={status}>
      <div role="cell" className="col-name" style={{ paddingLeft: `${0.5 + depth * 1.25}rem` }}>
        {children > 0 ? (
          <button type="button" className="toggle" aria-expanded={expanded} aria-label={`${expanded ? 'Hide' : 'Show'} the ${children} children of ${item.name}`} onClick={() => onToggle(item.assetId)}>
            {expanded ? '▾' : '▸'}
          </button>
        ) : (
          <span className="toggle-space" />
        )}
        <StatusDot status={status} />
        <a href={assetHref(item.assetId)} className="asset-link">
          <span className="asset-name">{item.name}</span>
          <span className="asset-id">{item.assetId}</span>
        </a>
      </div>
      <div role="cell" className="col-type">
        {item.type}
      </div>
      <div role="cell" className={last !== null && now - last > STALE_MS ? 'col-age age stale' : 'col-age age'}>
        {last === null ? 'never' : formatAge(now - last)}
      </div>
      <div role="cell" className="col-values">
        <ValueChips item={item} />
      </div>
    </div>
  )
})

/**
 * The rows in view (and OVERSCAN more each side) of the list. Its own component, so a scroll
 * re-renders only this and the rows that come into view, not the page's filters.
 */
function VirtualRows({ rows, now, collapsed, onToggle }: { rows: Row<FleetItem>[]; now: number; collapsed: ReadonlySet<string>; onToggle: (id: string) => void }) {
  const scrollRef = useRef<HTMLDivElement>(null)
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: (i) => (rows[i]?.kind === 'site' ? SITE_ROW_PX : ROW_PX),
    getItemKey: (i) => rows[i]?.key ?? i,
    overscan: OVERSCAN,
    // Render on React's schedule, not synchronously inside each scroll event.
    useFlushSync: false,
  })
  return (
    <div className="asset-scroll" ref={scrollRef} data-testid="asset-scroll">
      {rows.length === 0 && <p className="state">No assets match the filter.</p>}
      <div role="rowgroup" style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
        {virtualizer.getVirtualItems().map((v) => {
          const row = rows[v.index]!
          return (
            <div key={v.key} className="virtual-row" style={{ height: v.size, transform: `translateY(${v.start}px)` }} aria-rowindex={v.index + 1}>
              {row.kind === 'site' ? (
                <div className="site-row" role="row">
                  <div role="rowheader">
                    <span className="status-dot" style={{ background: STATUS_COLOUR[row.worst] }} aria-hidden="true" /> {row.name} <span className="muted">· {row.assets} shown</span>
                  </div>
                </div>
              ) : (
                <AssetRow row={row} now={now} expanded={!collapsed.has(row.item.assetId)} onToggle={onToggle} />
              )}
            </div>
          )
        })}
      </div>
    </div>
  )
}

/** Every asset, by site and hierarchy, filterable, virtualised: only the rows in view are in the page. */
export function AssetsPage() {
  const { items, sites, error, live } = useFleet()
  const initial = useMemo(() => hashParams(), [])
  const [text, setText] = useState(initial.get('q') ?? '')
  const [siteId, setSiteId] = useState(initial.get('site') ?? '')
  const [type, setType] = useState('')
  const [status, setStatus] = useState<AssetStatus | ''>((STATUS_ORDER as readonly string[]).includes(initial.get('status') ?? '') ? (initial.get('status') as AssetStatus) : '')
  const [collapsed, setCollapsed] = useState<ReadonlySet<string>>(new Set())

  const siteNames = useMemo(() => new Map((sites ?? []).map((s) => [s.id, s.name])), [sites])
  const types = useMemo(() => [...new Set((items ?? []).map((i) => i.type))].sort(), [items])
  // The clock for ages and staleness moves with each live update, not with each scroll frame.
  const now = useMemo(() => Date.now(), [items])
  const rows = useMemo(
    () => hierarchyRows(items ?? [], siteNames, now, { text, siteId, type, status: status === '' ? undefined : status }, collapsed),
    [items, now, siteNames, text, siteId, type, status, collapsed],
  )
  const toggle = useCallback(
    (id: string): void =>
      setCollapsed((c) => {
        const next = new Set(c)
        if (!next.delete(id)) next.add(id)
        return next
      }),
    [],
  )

  if (items === undefined) {
    return error === undefined ? (
      <p className="state">Loading assets…</p>
    ) : (
      <p className="state error" role="alert">
        Could not load the assets: {error.message}
      </p>
    )
  }
  if (items.length === 0) {
    return (
      <p className="state">
        No assets yet — start with <code>prognos start --demo</code> or send readings to <code>POST /v1/ingest</code>.
      </p>
    )
  }

  const shown = rows.filter((r) => r.kind === 'asset').length

  return (
    <section aria-labelledby="assets-title" className="assets-page">
      <div className="toolbar">
        <h1 id="assets-title">Assets</h1>
        <input type="search" className="input" placeholder="Filter by name, id, type or site" aria-label="Filter assets" value={text} onChange={(e) => setText(e.target.value)} />
        <select className="input" aria-label="Site" value={siteId} onChange={(e) => setSiteId(e.target.value)}>
          <option value="">All sites</option>
          {(sites ?? []).map((s) => (
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
        <select className="input" aria-label="Status" value={status} onChange={(e) => setStatus(e.target.value as AssetStatus | '')}>
          <option value="">Any status</option>
          {STATUS_ORDER.map((s) => (
            <option key={s} value={s}>
              {STATUS_LABEL[s]}
            </option>
          ))}
        </select>
        <span className="muted" data-testid="asset-count">
          {shown} of {items.length} assets
        </span>
        <span className={live ? 'live' : 'muted'} role="status">
          {live ? 'Live' : 'Connecting…'}
        </span>
        {error !== undefined && (
          <span className="error" role="status">
            Update failed ({error.message}), retrying…
          </span>
        )}
      </div>
      <div className="asset-table" role="table" aria-label="Assets by site" aria-rowcount={rows.length} data-testid="asset-table">
        <div className="asset-head" role="row">
          <div role="columnheader" className="col-name">
            Asset
          </div>
          <div role="columnheader" className="col-type">
            Type
          </div>
          <div role="columnheader" className="col-age">
            Updated
          </div>
          <div role="columnheader" className="col-values">
            Latest values
          </div>
        </div>
        <VirtualRows rows={rows} now={now} collapsed={collapsed} onToggle={toggle} />
      </div>
    </section>
  )
}
