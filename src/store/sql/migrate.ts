import type { MigrationReport, MigrationStatus } from '../ports.js'
import type { Migration, SqlClient } from './client.js'

const CREATE_TABLE = `CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, applied_at BIGINT NOT NULL)`

/** Splits a migration into statements (our migrations hold no `;` inside literals). */
function statements(sql: string): string[] {
  return sql
    .split(/;\s*(?:\n|$)/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
}

async function appliedVersions(db: SqlClient): Promise<Set<number>> {
  await db.query(CREATE_TABLE)
  const rows = await db.query<{ version: number }>('SELECT version FROM schema_migrations')
  return new Set(rows.map((r) => Number(r.version)))
}

/** Which migrations of `all` are not applied yet. */
export async function migrationStatus(db: SqlClient, all: readonly Migration[]): Promise<MigrationStatus> {
  const applied = await appliedVersions(db)
  const pending = all.filter((m) => !applied.has(m.version)).map(({ version, name }) => ({ version, name }))
  const current = Math.max(0, ...applied)
  const latest = Math.max(0, ...all.map((m) => m.version))
  return { current, latest, pending }
}

/** Applies pending migrations in version order, each in its own transaction. */
export async function runMigrations(db: SqlClient, all: readonly Migration[]): Promise<MigrationReport> {
  const applied = await appliedVersions(db)
  const report: MigrationReport = { applied: [], current: Math.max(0, ...applied) }
  for (const m of [...all].sort((a, b) => a.version - b.version)) {
    if (applied.has(m.version)) continue
    await db.transaction(async (tx) => {
      for (const stmt of statements(m.sql)) await tx.query(stmt)
      await tx.query('INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)', [m.version, m.name, Date.now()])
    })
    report.applied.push({ version: m.version, name: m.name })
    report.current = m.version
  }
  return report
}
