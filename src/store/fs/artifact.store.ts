import { randomBytes } from 'node:crypto'
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises'
import { dirname, join, resolve } from 'node:path'
import { checkArtifactKey, verifyArtifact } from '../artifact.check.js'
import { ArtifactNotFoundError, ArtifactStoreUnavailableError } from '../errors.js'
import type { ArtifactStore } from '../registry.ports.js'

/**
 * Artifacts as files under one directory (the data directory, or a volume every instance
 * mounts). A write goes to a temporary file in the same directory, is flushed, then renamed
 * over the key: readers see the whole artifact or none. A read is checked against the
 * SHA-256 recorded at registration.
 */
export class FsArtifactStore implements ArtifactStore {
  private readonly root: string

  constructor(root: string) {
    this.root = resolve(root)
  }

  private path(key: string): string {
    checkArtifactKey(key)
    return join(this.root, key)
  }

  async put(key: string, bytes: Uint8Array): Promise<void> {
    const p = this.path(key)
    const tmp = `${p}.${randomBytes(6).toString('hex')}.tmp`
    try {
      await mkdir(dirname(p), { recursive: true })
      await writeFile(tmp, bytes, { flush: true })
      await rename(tmp, p)
    } catch (err) {
      await rm(tmp, { force: true }).catch(() => undefined)
      throw new ArtifactStoreUnavailableError(`cannot write artifact ${p}: ${(err as Error).message}`, { cause: err })
    }
  }

  async get(key: string, sha256: string): Promise<Uint8Array> {
    const p = this.path(key)
    let bytes: Uint8Array
    try {
      bytes = new Uint8Array(await readFile(p))
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new ArtifactNotFoundError(key, p, { cause: err })
      throw new ArtifactStoreUnavailableError(`cannot read artifact ${p}: ${(err as Error).message}`, { cause: err })
    }
    return verifyArtifact(key, p, bytes, sha256)
  }

  async delete(key: string): Promise<void> {
    await rm(this.path(key), { force: true })
  }

  async exists(key: string): Promise<boolean> {
    const p = this.path(key)
    try {
      return (await stat(p)).isFile()
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false
      throw new ArtifactStoreUnavailableError(`cannot check artifact ${p}: ${(err as Error).message}`, { cause: err })
    }
  }

  describe(key: string): string {
    return this.path(key)
  }
}
