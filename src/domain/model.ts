/**
 * The platform's core objects. Pure data: no I/O, no driver types.
 * Timestamps (`ts`, `createdAt`) are epoch milliseconds.
 */

/** An organisation. Every other object belongs to exactly one tenant. */
export interface Tenant {
  id: string
  name: string
  createdAt: number
}

/** A physical location that holds assets. */
export interface Site {
  id: string
  tenantId: string
  name: string
  latitude: number
  longitude: number
  /** IANA zone name, e.g. `Europe/Paris`. */
  timezone: string
  createdAt: number
}

/** Kinds of asset the platform knows defaults for; any other string is allowed too. */
export const KNOWN_ASSET_TYPES = ['turbofan', 'battery_string', 'battery_cell', 'li_ion_pack', 'energy_meter', 'rotating_machine'] as const

/** A monitored thing: an engine, a battery string or one of its cells, a meter. */
export interface Asset {
  id: string
  tenantId: string
  siteId: string | null
  /** Parent in a hierarchy such as string → cell. */
  parentId: string | null
  type: string
  name: string
  metadata: Record<string, unknown>
  createdAt: number
}

/** One measured quantity of an asset. `key` is the internal series id its readings are stored under. */
export interface Channel {
  key: number
  tenantId: string
  assetId: string
  name: string
  unit: string | null
  /** Expected range; values outside it are not refused, they are what alert rules look at. */
  min: number | null
  max: number | null
  createdAt: number
}

/** What a channel looks like before it is stored. */
export interface ChannelSpec {
  name: string
  unit?: string | null
  min?: number | null
  max?: number | null
}

/** Roles, from most to least privileged within a tenant. */
export const ROLES = ['admin', 'operator', 'viewer', 'ingest'] as const
export type Role = (typeof ROLES)[number]

/** A latest value of one channel. */
export interface LatestValue {
  ts: number
  value: number
}

/** Why a channel's expected range is impossible, or null when it is fine. */
export function rangeProblem(min: number | null | undefined, max: number | null | undefined): string | null {
  if (min != null && max != null && min > max) return `min (${min}) is above max (${max})`
  return null
}
