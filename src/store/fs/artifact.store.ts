import { randomBytes } from 'node:crypto'
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises'
import { dirname, join, resolve, sep } from 'node:path'
import { StoreQueryError } from '../errors.js'
import type { ArtifactStore } from '../registry.ports.js'

/**
 * Artifacts as files under one directory (the data directory, or a volume every instance
 * mounts). A write goes to a temporary file in the same directory, is flushed, then renamed
 * over the key: readers see the whole artifact or none.
 */
export class FsArtifactStore implements ArtifactStore {
  private readonly root: string

  constructor(root: string) {
    this.root = resolve(root)
  }

  private path(key: string): string {
    const p = resolve(join(this.root, key))
    // Keys come from the registry, never from a client; still, no key may leave the root.
    if (!p.startsWith(this.root + sep)) throw new StoreQueryError(`artifact key '${key}'`, { cause: new Error('key escapes the artifact directory') })
    return p
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
      throw new StoreQueryError(`write artifact ${key}`, { cause: err })
    }
  }

  async get(key: string): Promise<Uint8Array> {
    try {
      return new Uint8Array(await readFile(this.path(key)))
    } catch (err) {
      throw new StoreQueryError(`read artifact ${key}`, { cause: err })
    }
  }

  async delete(key: string): Promise<void> {
    await rm(this.path(key), { force: true })
  }

  async exists(key: string): Promise<boolean> {
    try {
      return (await stat(this.path(key))).isFile()
    } catch {
      return false
    }
  }

  describe(key: string): string {
    return this.path(key)
  }
}
