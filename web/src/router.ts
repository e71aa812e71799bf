import { useEffect, useState } from 'react'

/**
 * The dashboard's pages, addressed by the location hash: `#/` and `#/assets/<id>`, the
 * latter optionally with `?from=<ms>&to=<ms>` (the chart links of alerts).
 */
export type Route = { page: 'fleet' } | { page: 'asset'; id: string; from?: number; to?: number }

function parseRoute(hash: string): Route {
  const match = /^#\/assets\/([^/?]+)(?:\?(.*))?$/.exec(hash)
  if (match?.[1] === undefined) return { page: 'fleet' }
  const route: Route = { page: 'asset', id: decodeURIComponent(match[1]) }
  const q = new URLSearchParams(match[2] ?? '')
  const from = Number(q.get('from'))
  const to = Number(q.get('to'))
  if (q.has('from') && q.has('to') && Number.isFinite(from) && Number.isFinite(to) && from < to) return { ...route, from, to }
  return route
}

/** The current route, updated on every hash change. */
export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(location.hash))
  useEffect(() => {
    const onChange = (): void => setRoute(parseRoute(location.hash))
    window.addEventListener('hashchange', onChange)
    return () => window.removeEventListener('hashchange', onChange)
  }, [])
  return route
}

export const assetHref = (id: string): string => `#/assets/${encodeURIComponent(id)}`
