import { randomUUID } from 'node:crypto'
import type { Asset, Channel, ChannelSpec, Role, Site, Tenant } from '../../domain/model.js'
import { MetaConflictError, MetaReferenceError, StoreQueryError } from '../errors.js'
import type {
  ApiKeyRecord,
  AssetFilter,
  AssetInput,
  MetaStore,
  MigrationReport,
  MigrationStatus,
  RefreshTokenRecord,
  SiteInput,
  TenantMeta,
  UserRecord,
} from '../ports.js'
import type { Migration, SqlClient, SqlParam } from './client.js'
import { migrationStatus, runMigrations } from './migrate.js'

type Row = Record<string, unknown>

const shortId = (): string => randomUUID().replace(/-/g, '').slice(0, 12)

/** True when the driver error is a uniqueness violation (both engines word it this way). */
function isUniqueViolation(err: unknown): boolean {
  const text = String((err as StoreQueryError).cause instanceof Error ? ((err as StoreQueryError).cause as Error).message : err)
  return /duplicate key|unique constraint|violates primary key|PRIMARY KEY or UNIQUE constraint/i.test(text)
}

async function insertUnique<T>(what: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run()
  } catch (err) {
    if (err instanceof StoreQueryError && isUniqueViolation(err)) throw new MetaConflictError(`${what} already exists`, { cause: err })
    throw err
  }
}

const toTenant = (r: Row): Tenant => ({ id: String(r.id), name: String(r.name), createdAt: Number(r.created_at) })
const toSite = (r: Row): Site => ({
  id: String(r.id),
  tenantId: String(r.tenant_id),
  name: String(r.name),
  latitude: Number(r.latitude),
  longitude: Number(r.longitude),
  timezone: String(r.timezone),
  createdAt: Number(r.created_at),
})
const toAsset = (r: Row): Asset => ({
  id: String(r.id),
  tenantId: String(r.tenant_id),
  siteId: r.site_id == null ? null : String(r.site_id),
  parentId: r.parent_id == null ? null : String(r.parent_id),
  type: String(r.type),
  name: String(r.name),
  metadata: JSON.parse(String(r.metadata)) as Record<string, unknown>,
  createdAt: Number(r.created_at),
})
const toChannel = (r: Row): Channel => ({
  key: Number(r.key),
  tenantId: String(r.tenant_id),
  assetId: String(r.asset_id),
  name: String(r.name),
  unit: r.unit == null ? null : String(r.unit),
  min: r.min_value == null ? null : Number(r.min_value),
  max: r.max_value == null ? null : Number(r.max_value),
  createdAt: Number(r.created_at),
})
const toUser = (r: Row): UserRecord => ({
  id: String(r.id),
  tenantId: String(r.tenant_id),
  username: String(r.username),
  passwordHash: String(r.password_hash),
  role: String(r.role) as Role,
  platformAdmin: Boolean(r.platform_admin),
  createdAt: Number(r.created_at),
})
const toKey = (r: Row): ApiKeyRecord => ({
  id: String(r.id),
  tenantId: String(r.tenant_id),
  name: String(r.name),
  role: String(r.role) as Role,
  secretHash: String(r.secret_hash),
  createdAt: Number(r.created_at),
  revokedAt: r.revoked_at == null ? null : Number(r.revoked_at),
})

/** Tenant-scoped metadata: every statement binds `tenant_id = $1`. */
class SqlTenantMeta implements TenantMeta {
  constructor(
    private readonly db: SqlClient,
    readonly tenantId: string,
  ) {}

  private q(sql: string, params: readonly SqlParam[] = []): Promise<Row[]> {
    return this.db.query<Row>(sql, [this.tenantId, ...params])
  }

  async listSites(): Promise<Site[]> {
    return (await this.q('SELECT * FROM sites WHERE tenant_id = $1 ORDER BY name, id')).map(toSite)
  }

  async getSite(id: string): Promise<Site | null> {
    const [r] = await this.q('SELECT * FROM sites WHERE tenant_id = $1 AND id = $2', [id])
    return r ? toSite(r) : null
  }

  async createSite(input: SiteInput): Promise<Site> {
    const id = input.id ?? shortId()
    const rows = await insertUnique(`site '${id}'`, () =>
      this.q('INSERT INTO sites (tenant_id, id, name, latitude, longitude, timezone, created_at) VALUES ($1,$2,$3,$4,$5,$6,$7) RETURNING *', [
        id,
        input.name,
        input.latitude,
        input.longitude,
        input.timezone,
        Date.now(),
      ]),
    )
    return toSite(rows[0]!)
  }

  async updateSite(id: string, patch: Partial<SiteInput>): Promise<Site | null> {
    const cur = await this.getSite(id)
    if (!cur) return null
    const next = { ...cur, ...stripUndefined(patch) }
    const [r] = await this.q('UPDATE sites SET name = $3, latitude = $4, longitude = $5, timezone = $6 WHERE tenant_id = $1 AND id = $2 RETURNING *', [
      id,
      next.name,
      next.latitude,
      next.longitude,
      next.timezone,
    ])
    return r ? toSite(r) : null
  }

  async deleteSite(id: string): Promise<boolean> {
    const [used] = await this.q('SELECT count(*) AS n FROM assets WHERE tenant_id = $1 AND site_id = $2', [id])
    if (Number(used?.n ?? 0) > 0) throw new MetaConflictError(`site '${id}' still holds ${Number(used?.n)} asset(s); move or delete them first`)
    const rows = await this.q('DELETE FROM sites WHERE tenant_id = $1 AND id = $2 RETURNING id', [id])
    return rows.length > 0
  }

  async listAssets(filter: AssetFilter = {}): Promise<Asset[]> {
    const where = ['tenant_id = $1']
    const params: SqlParam[] = []
    const add = (col: string, v: string | undefined): void => {
      if (v === undefined) return
      params.push(v)
      where.push(`${col} = $${params.length + 1}`)
    }
    add('site_id', filter.siteId)
    add('type', filter.type)
    add('parent_id', filter.parentId)
    const limit = Math.max(1, Math.min(Math.floor(filter.limit ?? 10_000), 100_000))
    const offset = Math.max(0, Math.min(Math.floor(filter.offset ?? 0), 1_000_000_000))
    params.push(limit, offset)
    const rows = await this.q(`SELECT * FROM assets WHERE ${where.join(' AND ')} ORDER BY id LIMIT $${params.length} OFFSET $${params.length + 1}`, params)
    return rows.map(toAsset)
  }

  async getAsset(id: string): Promise<Asset | null> {
    const [r] = await this.q('SELECT * FROM assets WHERE tenant_id = $1 AND id = $2', [id])
    return r ? toAsset(r) : null
  }

  private async checkRefs(input: Partial<AssetInput>, selfId?: string): Promise<void> {
    if (input.siteId != null && !(await this.getSite(input.siteId))) throw new MetaReferenceError('siteId', `site '${input.siteId}' does not exist`)
    if (input.parentId != null) {
      if (input.parentId === selfId) throw new MetaReferenceError('parentId', 'an asset cannot be its own parent')
      let ancestor = await this.getAsset(input.parentId)
      if (!ancestor) throw new MetaReferenceError('parentId', `parent asset '${input.parentId}' does not exist`)
      // Walk up: making an ancestor's descendant its parent would close a loop.
      for (let depth = 0; selfId !== undefined && ancestor?.parentId != null && depth < 1000; depth++) {
        if (ancestor.parentId === selfId) throw new MetaReferenceError('parentId', `'${input.parentId}' is below '${selfId}' in the hierarchy; that would make a loop`)
        ancestor = await this.getAsset(ancestor.parentId)
      }
    }
  }

  async createAsset(input: AssetInput): Promise<Asset> {
    await this.checkRefs(input)
    const id = input.id ?? shortId()
    const rows = await insertUnique(`asset '${id}'`, () =>
      this.q('INSERT INTO assets (tenant_id, id, site_id, parent_id, type, name, metadata, created_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8) RETURNING *', [
        id,
        input.siteId ?? null,
        input.parentId ?? null,
        input.type,
        input.name ?? id,
        JSON.stringify(input.metadata ?? {}),
        Date.now(),
      ]),
    )
    return toAsset(rows[0]!)
  }

  async createAssets(inputs: readonly (AssetInput & { channels?: readonly ChannelSpec[] })[]): Promise<Array<Asset & { channels: Channel[] }>> {
    if (inputs.length === 0) return []
    const ids = inputs.map((a) => a.id ?? shortId())
    const index = new Map<string, number>()
    ids.forEach((id, i) => {
      const first = index.get(id)
      if (first !== undefined) throw new MetaConflictError(`asset '${id}' appears twice in the batch (items ${first} and ${i})`)
      index.set(id, i)
    })
    const existing = await this.existingIds('assets', ids)
    if (existing.length > 0) throw new MetaConflictError(`asset${existing.length > 1 ? 's' : ''} ${existing.slice(0, 10).map((id) => `'${id}'`).join(', ')}${existing.length > 10 ? ` and ${existing.length - 10} more` : ''} already exist${existing.length > 1 ? '' : 's'}`)
    const siteIds = [...new Set(inputs.flatMap((a) => (a.siteId == null ? [] : [a.siteId])))]
    const sites = new Set(await this.existingIds('sites', siteIds))
    const outsideParents = [...new Set(inputs.flatMap((a) => (a.parentId == null || index.has(a.parentId) ? [] : [a.parentId])))]
    const parents = new Set(await this.existingIds('assets', outsideParents))
    inputs.forEach((a, i) => {
      if (a.siteId != null && !sites.has(a.siteId)) throw new MetaReferenceError(`assets.${i}.siteId`, `site '${a.siteId}' does not exist`)
      if (a.parentId != null && !index.has(a.parentId) && !parents.has(a.parentId)) throw new MetaReferenceError(`assets.${i}.parentId`, `parent asset '${a.parentId}' does not exist`)
    })
    // A loop can only form among new assets: existing ones cannot have a new asset as parent.
    inputs.forEach((a, i) => {
      let at = a.parentId
      for (let depth = 0; at != null && index.has(at); depth++) {
        if (at === ids[i] || depth > inputs.length) throw new MetaReferenceError(`assets.${i}.parentId`, `'${a.parentId}' would put asset '${ids[i]}' below itself`)
        at = inputs[index.get(at)!]!.parentId
      }
    })
    const now = Date.now()
    const specs = inputs.flatMap((a, i) => [...new Map((a.channels ?? []).map((c) => [c.name, c])).values()].map((spec) => ({ asset: ids[i]!, spec })))
    await this.db.transaction(async (tx) => {
      // Parents first, so a foreign key (PostgreSQL) never sees a child before its parent.
      const order = parentsFirst(inputs, ids, index)
      for (let off = 0; off < order.length; off += BULK_ROWS) {
        const params: SqlParam[] = [this.tenantId]
        const values = order.slice(off, off + BULK_ROWS).map((i) => {
          const a = inputs[i]!
          const p = params.length
          params.push(ids[i]!, a.siteId ?? null, a.parentId ?? null, a.type, a.name ?? ids[i]!, JSON.stringify(a.metadata ?? {}), now)
          return `($1, $${p + 1}, $${p + 2}, $${p + 3}, $${p + 4}, $${p + 5}, $${p + 6}, $${p + 7})`
        })
        await tx.query(`INSERT INTO assets (tenant_id, id, site_id, parent_id, type, name, metadata, created_at) VALUES ${values.join(', ')}`, params)
      }
      for (let off = 0; off < specs.length; off += BULK_ROWS) {
        const part = specs.slice(off, off + BULK_ROWS)
        const drawn = await tx.query<{ key: number }>(`SELECT nextval('channel_key_seq') AS key FROM generate_series(1, ${part.length})`)
        const params: SqlParam[] = [this.tenantId, now]
        const values = part.map(({ asset, spec: s }, j) => {
          const p = params.length
          params.push(Number(drawn[j]!.key), asset, s.name, s.unit ?? null, s.min ?? null, s.max ?? null)
          return `($${p + 1}, $1, $${p + 2}, $${p + 3}, $${p + 4}, $${p + 5}, $${p + 6}, $2)`
        })
        await tx.query(`INSERT INTO channels (key, tenant_id, asset_id, name, unit, min_value, max_value, created_at) VALUES ${values.join(', ')}`, params)
      }
    })
    const byAsset = new Map<string, Channel[]>()
    for (const c of await this.channelsOf(ids)) {
      const list = byAsset.get(c.assetId)
      if (list) list.push(c)
      else byAsset.set(c.assetId, [c])
    }
    return inputs.map((a, i) => {
      const id = ids[i]!
      const chans = new Map((byAsset.get(id) ?? []).map((c) => [c.name, c]))
      return {
        id,
        tenantId: this.tenantId,
        siteId: a.siteId ?? null,
        parentId: a.parentId ?? null,
        type: a.type,
        name: a.name ?? id,
        metadata: a.metadata ?? {},
        createdAt: now,
        channels: (a.channels ?? []).map((c) => chans.get(c.name)!),
      }
    })
  }

  /** Which of `ids` exist in `table` for this tenant, in chunks that keep parameter lists short. */
  private async existingIds(table: 'assets' | 'sites', ids: readonly string[]): Promise<string[]> {
    const out: string[] = []
    for (let off = 0; off < ids.length; off += BULK_ROWS) {
      const part = ids.slice(off, off + BULK_ROWS)
      const rows = await this.q(`SELECT id FROM ${table} WHERE tenant_id = $1 AND id IN (${part.map((_, i) => `$${i + 2}`).join(', ')})`, part)
      out.push(...rows.map((r) => String(r.id)))
    }
    return out
  }

  private async channelsOf(assetIds: readonly string[]): Promise<Channel[]> {
    const out: Channel[] = []
    for (let off = 0; off < assetIds.length; off += BULK_ROWS) {
      const part = assetIds.slice(off, off + BULK_ROWS)
      const rows = await this.q(`SELECT * FROM channels WHERE tenant_id = $1 AND asset_id IN (${part.map((_, i) => `$${i + 2}`).join(', ')})`, part)
      out.push(...rows.map(toChannel))
    }
    return out
  }

  async updateAsset(id: string, patch: Partial<AssetInput>): Promise<Asset | null> {
    const cur = await this.getAsset(id)
    if (!cur) return null
    await this.checkRefs(patch, id)
    const next = { ...cur, ...stripUndefined(patch) }
    const [r] = await this.q(
      'UPDATE assets SET site_id = $3, parent_id = $4, type = $5, name = $6, metadata = $7 WHERE tenant_id = $1 AND id = $2 RETURNING *',
      [id, next.siteId ?? null, next.parentId ?? null, next.type, next.name, JSON.stringify(next.metadata ?? {})],
    )
    return r ? toAsset(r) : null
  }

  async deleteAsset(id: string): Promise<boolean> {
    const [kids] = await this.q('SELECT count(*) AS n FROM assets WHERE tenant_id = $1 AND parent_id = $2', [id])
    if (Number(kids?.n ?? 0) > 0) throw new MetaConflictError(`asset '${id}' still has ${Number(kids?.n)} child asset(s); delete them first`)
    return this.db.transaction(async (tx) => {
      await tx.query('DELETE FROM channels WHERE tenant_id = $1 AND asset_id = $2', [this.tenantId, id])
      const rows = await tx.query('DELETE FROM assets WHERE tenant_id = $1 AND id = $2 RETURNING id', [this.tenantId, id])
      return rows.length > 0
    })
  }

  async listChannels(assetId: string): Promise<Channel[]> {
    return (await this.q('SELECT * FROM channels WHERE tenant_id = $1 AND asset_id = $2 ORDER BY key', [assetId])).map(toChannel)
  }

  async listAllChannels(): Promise<Channel[]> {
    return (await this.q('SELECT * FROM channels WHERE tenant_id = $1 ORDER BY asset_id, key')).map(toChannel)
  }

  async ensureChannels(assetId: string, specs: readonly ChannelSpec[]): Promise<Channel[]> {
    if (!(await this.getAsset(assetId))) throw new MetaReferenceError('assetId', `asset '${assetId}' does not exist`)
    const existing = new Map((await this.listChannels(assetId)).map((c) => [c.name, c]))
    const missing = specs.filter((s) => !existing.has(s.name))
    if (missing.length > 0) {
      await this.db.transaction(async (tx) => {
        // Keys are drawn in spec order, but rows are inserted in name order: concurrent
        // callers listing the same channels in different orders then wait on each other's
        // rows in the same order instead of deadlocking (PostgreSQL aborts one with 40P01).
        // Two statements whatever the number of channels (one per channel cost ~10 ms each
        // on DuckDB, which made provisioning a 10,000-asset fleet take most of an hour).
        const drawn = await tx.query<{ key: number }>(`SELECT nextval('channel_key_seq') AS key FROM generate_series(1, ${missing.length})`)
        const keys = drawn.map((r) => Number(r.key)).sort((a, b) => a - b)
        const rows = missing.map((spec, i) => ({ spec, key: keys[i]! }))
        rows.sort((a, b) => (a.spec.name < b.spec.name ? -1 : a.spec.name > b.spec.name ? 1 : 0))
        const now = Date.now()
        const params: SqlParam[] = [this.tenantId, assetId, now]
        const values = rows.map(({ spec: s, key }) => {
          const p = params.length
          params.push(key, s.name, s.unit ?? null, s.min ?? null, s.max ?? null)
          return `($${p + 1}, $1, $2, $${p + 2}, $${p + 3}, $${p + 4}, $${p + 5}, $3)`
        })
        // ON CONFLICT: a concurrent ingest may have created the same channel first.
        await tx.query(`INSERT INTO channels (key, tenant_id, asset_id, name, unit, min_value, max_value, created_at) VALUES ${values.join(', ')} ON CONFLICT DO NOTHING`, params)
      })
      for (const c of await this.listChannels(assetId)) existing.set(c.name, c)
    }
    return specs.map((s) => existing.get(s.name)!)
  }

  async updateChannel(assetId: string, name: string, patch: Partial<ChannelSpec>): Promise<Channel | null> {
    const [cur] = await this.q('SELECT * FROM channels WHERE tenant_id = $1 AND asset_id = $2 AND name = $3', [assetId, name])
    if (!cur) return null
    const c = toChannel(cur)
    const next = { unit: c.unit, min: c.min, max: c.max, ...stripUndefined(patch) }
    const [r] = await this.q('UPDATE channels SET unit = $3, min_value = $4, max_value = $5 WHERE tenant_id = $1 AND key = $2 RETURNING *', [
      c.key,
      next.unit ?? null,
      next.min ?? null,
      next.max ?? null,
    ])
    return r ? toChannel(r) : null
  }

  async deleteChannel(assetId: string, name: string): Promise<boolean> {
    const rows = await this.q('DELETE FROM channels WHERE tenant_id = $1 AND asset_id = $2 AND name = $3 RETURNING key', [assetId, name])
    return rows.length > 0
  }
}

/** Rows per multi-row statement in bulk writes: keeps each statement's parameters well under PostgreSQL's 65,535. */
const BULK_ROWS = 1000

/** Item indexes ordered so that each batch parent comes before its children (ids are checked loop-free). */
function parentsFirst(inputs: readonly AssetInput[], ids: readonly string[], index: ReadonlyMap<string, number>): number[] {
  const done = new Set<number>()
  const out: number[] = []
  ids.forEach((_, start) => {
    // Walk up to the first ancestor already placed (or outside the batch), then place the chain top-down.
    const chain: number[] = []
    for (let i: number | undefined = start; i !== undefined && !done.has(i); ) {
      done.add(i)
      chain.push(i)
      const p: string | null | undefined = inputs[i]!.parentId
      i = p == null ? undefined : index.get(p)
    }
    for (let k = chain.length - 1; k >= 0; k--) out.push(chain[k]!)
  })
  return out
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>
}

/** MetaStore over any SqlClient; the adapter supplies its dialect's migrations. */
export class SqlMetaStore implements MetaStore {
  constructor(
    private readonly db: SqlClient,
    private readonly migrations: readonly Migration[],
    private readonly onClose: () => Promise<void> = async () => undefined,
  ) {}

  migrate(): Promise<MigrationReport> {
    return runMigrations(this.db, this.migrations)
  }

  migrationStatus(): Promise<MigrationStatus> {
    return migrationStatus(this.db, this.migrations)
  }

  async ping(): Promise<void> {
    await this.db.query('SELECT 1 AS ok')
  }

  async createTenant(input: { id?: string; name: string }): Promise<Tenant> {
    const id = input.id ?? shortId()
    const rows = await insertUnique(`tenant '${id}'`, () =>
      this.db.query<Row>('INSERT INTO tenants (id, name, created_at) VALUES ($1, $2, $3) RETURNING *', [id, input.name, Date.now()]),
    )
    return toTenant(rows[0]!)
  }

  async getTenant(id: string): Promise<Tenant | null> {
    const [r] = await this.db.query<Row>('SELECT * FROM tenants WHERE id = $1', [id])
    return r ? toTenant(r) : null
  }

  async listTenants(): Promise<Tenant[]> {
    return (await this.db.query<Row>('SELECT * FROM tenants ORDER BY id')).map(toTenant)
  }

  async updateTenant(id: string, patch: { name?: string }): Promise<Tenant | null> {
    const cur = await this.getTenant(id)
    if (!cur) return null
    const [r] = await this.db.query<Row>('UPDATE tenants SET name = $2 WHERE id = $1 RETURNING *', [id, patch.name ?? cur.name])
    return r ? toTenant(r) : null
  }

  async deleteTenant(id: string): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      const [held] = await tx.query<Row>(
        `SELECT (SELECT count(*) FROM sites WHERE tenant_id = $1) AS sites, (SELECT count(*) FROM assets WHERE tenant_id = $1) AS assets,
                (SELECT count(*) FROM users WHERE tenant_id = $1) AS users, (SELECT count(*) FROM api_keys WHERE tenant_id = $1 AND revoked_at IS NULL) AS keys`,
        [id],
      )
      const still = Object.entries(held ?? {}).filter(([, n]) => Number(n) > 0)
      if (still.length > 0) throw new MetaConflictError(`tenant '${id}' still holds ${still.map(([what, n]) => `${Number(n)} ${what}`).join(', ')}; remove them first`)
      await tx.query('DELETE FROM api_keys WHERE tenant_id = $1', [id])
      return (await tx.query('DELETE FROM tenants WHERE id = $1 RETURNING id', [id])).length > 0
    })
  }

  tenant(tenantId: string): TenantMeta {
    return new SqlTenantMeta(this.db, tenantId)
  }

  async createUser(u: Omit<UserRecord, 'createdAt'>): Promise<UserRecord> {
    const rows = await insertUnique(`user '${u.username}'`, () =>
      this.db.query<Row>(
        'INSERT INTO users (id, tenant_id, username, password_hash, role, platform_admin, created_at) VALUES ($1,$2,$3,$4,$5,$6,$7) RETURNING *',
        [u.id, u.tenantId, u.username, u.passwordHash, u.role, u.platformAdmin, Date.now()],
      ),
    )
    return toUser(rows[0]!)
  }

  async getUserByName(username: string): Promise<UserRecord | null> {
    const [r] = await this.db.query<Row>('SELECT * FROM users WHERE username = $1', [username])
    return r ? toUser(r) : null
  }

  async getUser(id: string): Promise<UserRecord | null> {
    const [r] = await this.db.query<Row>('SELECT * FROM users WHERE id = $1', [id])
    return r ? toUser(r) : null
  }

  async listUsers(tenantId?: string): Promise<UserRecord[]> {
    const rows = tenantId
      ? await this.db.query<Row>('SELECT * FROM users WHERE tenant_id = $1 ORDER BY username', [tenantId])
      : await this.db.query<Row>('SELECT * FROM users ORDER BY username')
    return rows.map(toUser)
  }

  async updateUser(id: string, patch: { passwordHash?: string; role?: Role }): Promise<UserRecord | null> {
    const cur = await this.getUser(id)
    if (!cur) return null
    const [r] = await this.db.query<Row>('UPDATE users SET password_hash = $2, role = $3 WHERE id = $1 RETURNING *', [
      id,
      patch.passwordHash ?? cur.passwordHash,
      patch.role ?? cur.role,
    ])
    return r ? toUser(r) : null
  }

  async deleteUser(id: string): Promise<boolean> {
    return (await this.db.query('DELETE FROM users WHERE id = $1 RETURNING id', [id])).length > 0
  }

  async countUsers(): Promise<number> {
    const [r] = await this.db.query<Row>('SELECT count(*) AS n FROM users')
    return Number(r?.n ?? 0)
  }

  async createApiKey(k: Omit<ApiKeyRecord, 'createdAt' | 'revokedAt'>): Promise<ApiKeyRecord> {
    const rows = await insertUnique(`API key '${k.id}'`, () =>
      this.db.query<Row>('INSERT INTO api_keys (id, tenant_id, name, role, secret_hash, created_at) VALUES ($1,$2,$3,$4,$5,$6) RETURNING *', [
        k.id,
        k.tenantId,
        k.name,
        k.role,
        k.secretHash,
        Date.now(),
      ]),
    )
    return toKey(rows[0]!)
  }

  async getApiKey(id: string): Promise<ApiKeyRecord | null> {
    const [r] = await this.db.query<Row>('SELECT * FROM api_keys WHERE id = $1', [id])
    return r ? toKey(r) : null
  }

  async listApiKeys(tenantId?: string): Promise<ApiKeyRecord[]> {
    const rows = tenantId
      ? await this.db.query<Row>('SELECT * FROM api_keys WHERE tenant_id = $1 ORDER BY created_at', [tenantId])
      : await this.db.query<Row>('SELECT * FROM api_keys ORDER BY created_at')
    return rows.map(toKey)
  }

  async revokeApiKey(id: string, tenantId?: string): Promise<boolean> {
    const rows = tenantId
      ? await this.db.query('UPDATE api_keys SET revoked_at = $3 WHERE id = $1 AND tenant_id = $2 AND revoked_at IS NULL RETURNING id', [id, tenantId, Date.now()])
      : await this.db.query('UPDATE api_keys SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL RETURNING id', [id, Date.now()])
    return rows.length > 0
  }

  async saveRefreshToken(t: Omit<RefreshTokenRecord, 'revokedAt'>): Promise<void> {
    await this.db.query('INSERT INTO refresh_tokens (token_hash, user_id, expires_at) VALUES ($1, $2, $3)', [t.tokenHash, t.userId, t.expiresAt])
  }

  async getRefreshToken(tokenHash: string): Promise<RefreshTokenRecord | null> {
    const [r] = await this.db.query<Row>('SELECT * FROM refresh_tokens WHERE token_hash = $1', [tokenHash])
    if (!r) return null
    return {
      tokenHash: String(r.token_hash),
      userId: String(r.user_id),
      expiresAt: Number(r.expires_at),
      revokedAt: r.revoked_at == null ? null : Number(r.revoked_at),
    }
  }

  async revokeRefreshToken(tokenHash: string): Promise<boolean> {
    const rows = await this.db.query('UPDATE refresh_tokens SET revoked_at = $2 WHERE token_hash = $1 AND revoked_at IS NULL RETURNING token_hash', [tokenHash, Date.now()])
    return rows.length > 0
  }

  async getSetting(key: string): Promise<string | null> {
    const [r] = await this.db.query<Row>('SELECT value FROM settings WHERE key = $1', [key])
    return r ? String(r.value) : null
  }

  async setSettingIfAbsent(key: string, value: string): Promise<string> {
    await this.db.query('INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT DO NOTHING', [key, value])
    return (await this.getSetting(key))!
  }

  close(): Promise<void> {
    return this.onClose()
  }
}
