import { geoNaturalEarth1, geoPath, type GeoPermissibleObjects } from 'd3-geo'
import { useEffect, useMemo, useState } from 'react'
import type { Site } from '../api'
import { STATUS_LABEL, type AssetStatus, type SiteSummary } from '../fleet'
import { assetsHref } from '../router'

const WIDTH = 960
const HEIGHT = 480
/** Never zoom in closer than this many degrees of longitude around the sites. */
const MIN_SPAN_DEG = 40
/** Room a site's name needs on the right of its dot. */
const LABEL_ROOM_PX = 170

export const STATUS_COLOUR: Record<AssetStatus, string> = {
  'out-of-range': '#ff6b7d',
  stale: '#ffb357',
  ok: '#73bf69',
  'no-data': '#9da5b0',
}

type Countries = GeoPermissibleObjects

/** The world's countries, from world-atlas (bundled: no tile server, works offline), loaded after first paint. */
function useCountries(): Countries | null {
  const [countries, setCountries] = useState<Countries | null>(null)
  useEffect(() => {
    let active = true
    void Promise.all([import('world-atlas/countries-110m.json'), import('topojson-client')]).then(([atlas, topojson]) => {
      const topology = atlas.default as unknown as Parameters<typeof topojson.feature>[0]
      const feature = topojson.feature(topology, (topology.objects as Record<string, Parameters<typeof topojson.feature>[1]>).countries!)
      if (active) setCountries(feature as Countries)
    })
    return () => {
      active = false
    }
  }, [])
  return countries
}

/** A projection fitted to the sites (with room around them), or to the whole world when there are none. */
function fitProjection(sites: readonly Site[]) {
  const projection = geoNaturalEarth1()
  if (sites.length === 0) return projection.fitExtent([[8, 8], [WIDTH - 8, HEIGHT - 8]], { type: 'Sphere' })
  const lons = sites.map((s) => s.longitude)
  const lats = sites.map((s) => s.latitude)
  const [west, east] = [Math.min(...lons), Math.max(...lons)]
  const [south, north] = [Math.min(...lats), Math.max(...lats)]
  const padLon = Math.max((MIN_SPAN_DEG - (east - west)) / 2, (east - west) * 0.15)
  const padLat = Math.max((MIN_SPAN_DEG / 2 - (north - south)) / 2, (north - south) * 0.15)
  const box = {
    type: 'MultiPoint' as const,
    coordinates: [
      [Math.max(-180, west - padLon), Math.max(-85, south - padLat)],
      [Math.min(180, east + padLon), Math.min(85, north + padLat)],
    ],
  }
  return projection.fitExtent([[20, 20], [WIDTH - 20, HEIGHT - 20]], box)
}

/**
 * Sites on a world map, each a dot coloured by the worst status of its assets and sized by
 * how many it has. Each dot is a link to the site's assets, reachable by keyboard.
 */
export function SiteMap({ summaries, colourOf = (s) => STATUS_COLOUR[s.worst], describe = (s) => STATUS_LABEL[s.worst] }: {
  summaries: readonly SiteSummary<Site>[]
  colourOf?: (s: SiteSummary<Site>) => string
  describe?: (s: SiteSummary<Site>) => string
}) {
  const countries = useCountries()
  const sites = useMemo(() => summaries.map((s) => s.site), [summaries])
  // Refit only when the set of places changes, not on every live update.
  const placesKey = sites.map((s) => `${s.id}:${s.latitude}:${s.longitude}`).join('|')
  const projection = useMemo(() => fitProjection(sites), [placesKey])
  const land = useMemo(() => (countries === null ? null : geoPath(projection)(countries)), [countries, projection])
  const maxAssets = Math.max(1, ...summaries.map((s) => s.assets))

  return (
    <figure className="site-map" data-testid="site-map">
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="group" aria-label="Map of sites, coloured by the worst status of their assets">
        <rect width={WIDTH} height={HEIGHT} className="sea" />
        {land !== null && <path d={land} className="land" />}
        {summaries.map((s) => {
          const xy = projection([s.site.longitude, s.site.latitude])
          if (xy === null) return null
          const r = 6 + 12 * Math.sqrt(s.assets / maxAssets)
          const label = `${s.site.name}: ${s.assets} asset${s.assets === 1 ? '' : 's'}, ${describe(s)}`
          return (
            <a key={s.site.id} href={assetsHref({ site: s.site.id })} aria-label={label} className="site-dot" data-testid="site-dot" data-site-id={s.site.id} data-status={s.worst}>
              <title>{label}</title>
              <circle cx={xy[0]} cy={xy[1]} r={r} fill={colourOf(s)} />
              {/* Labels near the right edge go on the left of their dot, so they are never cut off. */}
              <text x={xy[0] > WIDTH - LABEL_ROOM_PX ? xy[0] - r - 4 : xy[0] + r + 4} y={xy[1] + 4} textAnchor={xy[0] > WIDTH - LABEL_ROOM_PX ? 'end' : 'start'}>
                {s.site.name}
              </text>
            </a>
          )
        })}
      </svg>
      {countries === null && <figcaption className="muted">Loading the map…</figcaption>}
    </figure>
  )
}
