import type { Role } from '../domain/model.js'

/** What a caller may do. Each route names the one permission it needs. */
export type Permission = 'read' | 'write' | 'ingest' | 'manage'

const GRANTS: Record<Role, readonly Permission[]> = {
  admin: ['read', 'write', 'ingest', 'manage'],
  operator: ['read', 'write', 'ingest'],
  viewer: ['read'],
  ingest: ['ingest'],
}

export function can(role: Role, permission: Permission): boolean {
  return GRANTS[role].includes(permission)
}

/** An authenticated caller. */
export interface Principal {
  kind: 'user' | 'apiKey'
  /** User id or API key id. */
  id: string
  /** Username, or the key's name. */
  name: string
  tenantId: string
  role: Role
  platformAdmin: boolean
}
