import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

/** The shared reference data sets: `../shared/data` beside the repository, or PROGNOS_SHARED_DATA. */
export function sharedData(relative: string): string {
  const root = process.env.PROGNOS_SHARED_DATA ?? fileURLToPath(new URL('../../../shared/data/', import.meta.url))
  const path = `${root.replace(/\/$/, '')}/${relative}`
  if (!existsSync(path)) throw new Error(`reference data not found at ${path}: the shared data sets belong beside the repository (../shared/data), or set PROGNOS_SHARED_DATA`)
  return path
}
