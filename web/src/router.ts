import { useEffect, useState } from 'react'

/**
 * The dashboard's pages, addressed by the location hash:
 * `#/` overview, `#/assets` the asset list, `#/assets/<id>` one asset, `#/settings`.
 */
export type Route = { page: 'overview' } | { page: 'assets'; query: string } | { page: 'asset'; id: string } | { page: 'settings' }

export function parseRoute(hash: string): Route {
  const path = hash.replace(/^#/, '').split('?')[0] ?? ''
  const asset = /^\/assets\/([^/]+)$/.exec(path)
  if (asset?.[1] !== undefined) return { page: 'asset', id: decodeURIComponent(asset[1]) }
  if (path === '/assets') return { page: 'assets', query: hash.includes('?') ? hash.slice(hash.indexOf('?') + 1) : '' }
  if (path === '/settings') return { page: 'settings' }
  return { page: 'overview' }
}

/** The query part of the hash (`#/assets?site=lyon` → site=lyon). */
export function hashParams(): URLSearchParams {
  const i = location.hash.indexOf('?')
  return new URLSearchParams(i < 0 ? '' : location.hash.slice(i + 1))
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
export const assetsHref = (filter: { site?: string; status?: string } = {}): string => {
  const q = new URLSearchParams(Object.entries(filter).filter((e): e is [string, string] => e[1] !== undefined)).toString()
  return q === '' ? '#/assets' : `#/assets?${q}`
}
