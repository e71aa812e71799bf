import { useEffect, useState } from 'react'

/** The dashboard's pages, addressed by the location hash: `#/` and `#/assets/<id>`. */
export type Route = { page: 'fleet' } | { page: 'asset'; id: string }

function parseRoute(hash: string): Route {
  const match = /^#\/assets\/([^/]+)$/.exec(hash)
  return match?.[1] === undefined ? { page: 'fleet' } : { page: 'asset', id: decodeURIComponent(match[1]) }
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
