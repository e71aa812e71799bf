import { useMemo, useRef, useState } from 'react'
import { getAsset, getAssetLatest, getReadings, listAssets, listSites, type Asset, type Channel, type LatestValue, type Series } from '../api'
import { TimeChart, type TimeRange } from '../components/TimeChart'
import { formatAge, formatDuration, formatRange, isOutOfRange, withUnit } from '../format'
import { assetHref } from '../router'
import { usePoll } from '../usePoll'

const POLL_MS = 2000
const MIN_MS = 60_000
const HOUR_MS = 60 * MIN_MS
const RANGES = [
  { label: '15 min', ms: 15 * MIN_MS },
  { label: '1 h', ms: HOUR_MS },
  { label: '6 h', ms: 6 * HOUR_MS },
  { label: '24 h', ms: 24 * HOUR_MS },
  { label: '7 d', ms: 7 * 24 * HOUR_MS },
]
const DEFAULT_RANGE_MS = HOUR_MS
/** Never ask for fewer points than this, even on a narrow screen. */
const MIN_POINTS = 100

const AssetLink = ({ asset }: { asset: Asset }) => <a href={assetHref(asset.id)}>{asset.name}</a>

const byName = (a: Asset, b: Asset): number => a.name.localeCompare(b.name, undefined, { numeric: true })

function ChartCard(props: {
  channel: Channel
  series: Series | undefined
  latest: LatestValue | undefined
  range: TimeRange
  syncKey: string
  onZoom: (range: TimeRange | null) => void
}) {
  const { channel, series, latest, range, syncKey, onZoom } = props
  const expected = formatRange(channel.min, channel.max, channel.unit)
  const out = latest !== undefined && isOutOfRange(latest.value, channel.min, channel.max)
  return (
    <section className="chart-card" data-testid={`chart-${channel.name}`} aria-label={`${channel.name} chart`}>
      <div className="chart-main">
        <h2 className="chart-title">
          {channel.name}
          {channel.unit !== null && <span className="muted"> ({channel.unit})</span>}
          <span className="chart-mode">
            {series?.mode === 'bucketed' ? `avg with min–max per ${formatDuration(series.bucketMs)}` : 'raw'}
          </span>
        </h2>
        <div className="chart-frame">
          <TimeChart
            series={series}
            range={range}
            unit={channel.unit}
            min={channel.min}
            max={channel.max}
            syncKey={syncKey}
            onZoom={onZoom}
          />
          {(series === undefined || series.ts.length === 0) && <p className="chart-empty">No readings in this range</p>}
        </div>
      </div>
      <aside className={out ? 'latest out' : 'latest'} aria-label={`Latest ${channel.name}`}>
        <div className="latest-value">{latest === undefined ? '—' : withUnit(latest.value, channel.unit)}</div>
        <div className="muted">{latest === undefined ? 'no data' : formatAge(Date.now() - latest.ts)}</div>
        {expected !== null && <div className="muted">expected {expected}</div>}
        {out && <div className="latest-flag">outside expected range</div>}
      </aside>
    </section>
  )
}

/** One asset: its place in the hierarchy, its metadata, and a live chart per channel. */
export function AssetPage({ id, from, to }: { id: string; from?: number; to?: number }) {
  const asset = usePoll(() => getAsset(id), null, [id])
  const children = usePoll(() => listAssets({ parentId: id }), null, [id])
  const sites = usePoll(listSites, null, [])
  const parentId = asset.data?.parentId ?? null
  const parent = usePoll(() => (parentId === null ? Promise.resolve(null) : getAsset(parentId)), null, [parentId])
  // An alert's link opens the chart on its time: fetch back to `from`, zoomed on [from, to].
  const [rangeMs, setRangeMs] = useState(() => (from !== undefined ? Math.max(DEFAULT_RANGE_MS, Date.now() - from) : DEFAULT_RANGE_MS))
  const [zoom, setZoom] = useState<TimeRange | null>(() => (from !== undefined && to !== undefined ? [from, to] : null))
  const chartsRef = useRef<HTMLDivElement>(null)

  const channels = asset.data?.channels
  const live = usePoll(
    async () => {
      if (channels === undefined || channels.length === 0) return null
      const to = Date.now()
      const maxPoints = Math.max(MIN_POINTS, Math.round(chartsRef.current?.clientWidth ?? 0))
      const [readings, latest] = await Promise.all([
        getReadings(id, { channels: channels.map((c) => c.name), from: to - rangeMs, to, maxPoints }),
        getAssetLatest(id),
      ])
      return { readings, latest }
    },
    POLL_MS,
    [id, channels, rangeMs],
  )
  const seriesByChannel = useMemo(
    () => new Map((live.data?.readings.series ?? []).map((s) => [s.channel, s])),
    [live.data],
  )

  if (asset.data === undefined) {
    return asset.error === undefined ? (
      <p className="state">Loading asset…</p>
    ) : (
      <p className="state error" role="alert">
        Could not load asset <code>{id}</code>: {asset.error.message}
      </p>
    )
  }

  const a = asset.data
  const siteName = a.siteId === null ? null : (sites.data?.items.find((s) => s.id === a.siteId)?.name ?? a.siteId)
  const kids = [...(children.data?.items ?? [])].sort(byName)
  const now = Date.now()
  const shownRange: TimeRange = zoom ?? (live.data ? [live.data.readings.from, live.data.readings.to] : [now - rangeMs, now])
  const metadata = Object.entries(a.metadata)

  return (
    <article className="asset-page">
      <nav className="breadcrumbs" aria-label="Breadcrumb">
        <a href="#/">Fleet</a>
        {siteName !== null && <span> / {siteName}</span>}
        {parent.data && (
          <span>
            {' / '}
            <AssetLink asset={parent.data} />
          </span>
        )}
        <span aria-current="page"> / {a.name}</span>
      </nav>
      <header className="asset-header">
        <h1>{a.name}</h1>
        <dl className="facts">
          <div>
            <dt>Type</dt>
            <dd>{a.type}</dd>
          </div>
          <div>
            <dt>Site</dt>
            <dd>{siteName ?? '—'}</dd>
          </div>
          <div>
            <dt>Id</dt>
            <dd>
              <code>{a.id}</code>
            </dd>
          </div>
          {parent.data && (
            <div>
              <dt>Parent</dt>
              <dd>
                <AssetLink asset={parent.data} />
              </dd>
            </div>
          )}
          {kids.length > 0 && (
            <div className="facts-wide">
              <dt>Children ({kids.length})</dt>
              <dd className="link-list">
                {kids.map((kid) => (
                  <AssetLink key={kid.id} asset={kid} />
                ))}
              </dd>
            </div>
          )}
        </dl>
        {metadata.length > 0 && (
          <dl className="facts metadata" aria-label="Metadata">
            {metadata.map(([key, value]) => (
              <div key={key}>
                <dt>{key}</dt>
                <dd>{typeof value === 'string' ? value : JSON.stringify(value)}</dd>
              </div>
            ))}
          </dl>
        )}
      </header>

      <div className="toolbar">
        <div className="segmented" role="group" aria-label="Time range">
          {RANGES.map((r) => (
            <button
              key={r.ms}
              type="button"
              className="button"
              aria-pressed={r.ms === rangeMs}
              onClick={() => {
                setRangeMs(r.ms)
                setZoom(null)
              }}
            >
              {r.label}
            </button>
          ))}
        </div>
        {zoom !== null && (
          <button type="button" className="button" onClick={() => setZoom(null)}>
            Reset zoom
          </button>
        )}
        <span className="muted">Drag on a chart to zoom, double-click to reset.</span>
        {live.error === undefined ? (
          <span className="live" role="status">
            Live
          </span>
        ) : (
          <span className="error" role="status">
            Update failed ({live.error.message}), retrying…
          </span>
        )}
      </div>

      <div className="charts" ref={chartsRef}>
        {a.channels.length === 0 && <p className="state">This asset has no channels yet.</p>}
        {a.channels.map((channel) => (
          <ChartCard
            key={channel.name}
            channel={channel}
            series={seriesByChannel.get(channel.name)}
            latest={live.data?.latest.values[channel.name]}
            range={shownRange}
            syncKey={a.id}
            onZoom={setZoom}
          />
        ))}
      </div>
    </article>
  )
}
