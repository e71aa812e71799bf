/** Rules every ArtifactStore adapter applies the same way: which keys are valid, and the fingerprint check on read. */
import { createHash } from 'node:crypto'
import { ArtifactCorruptError, StoreQueryError } from './errors.js'

/**
 * Keys come from the registry (`<tenant>/<model>/<sha256>.<ext>`), never from a client; still,
 * a key must be a relative path of plain segments so that no adapter can be led outside its
 * directory or prefix.
 */
export function checkArtifactKey(key: string): void {
  const segments = key.split('/')
  const bad = key.length === 0 || key.length > 1024 || key.includes('\\') || key.includes('\u0000') || segments.some((s) => s === '' || s === '.' || s === '..')
  if (bad) throw new StoreQueryError(`artifact key '${key}'`, { cause: new Error('an artifact key is a relative path of non-empty segments without . or ..') })
}

/** The bytes, if their SHA-256 is the one recorded; ArtifactCorruptError otherwise. */
export function verifyArtifact(key: string, where: string, bytes: Uint8Array, sha256: string): Uint8Array {
  const actual = createHash('sha256').update(bytes).digest('hex')
  if (actual !== sha256.toLowerCase()) throw new ArtifactCorruptError(key, where, sha256, actual)
  return bytes
}
