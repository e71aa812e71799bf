/**
 * ArtifactStore conformance: the same cases for the directory and the object-storage
 * adapter. Atomic writes, the SHA-256 check on read, clear codes for a missing artifact,
 * a damaged one and a store that cannot be reached, and keys that cannot escape.
 */
import { createHash, randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { ArtifactCorruptError } from '../../src/store/errors.js'
import type { ArtifactStore } from '../../src/store/registry.ports.js'

export interface ArtifactAdapter {
  /** A store over an empty place (fresh directory or prefix). */
  open(): Promise<ArtifactStore>
  /** Damages a stored artifact behind the store's back (same length, other bytes). */
  damage(store: ArtifactStore, key: string): Promise<void>
  /** A store that cannot reach its storage. */
  openUnreachable(): Promise<ArtifactStore>
  /**
   * Whether the storage itself replaces objects atomically. A filesystem rename and S3 do;
   * s3rver (the test S3 server) rewrites its file in place, so a read racing a write can
   * break off: there the suite checks that such a read fails with a code instead of
   * handing out torn bytes.
   */
  atomicStorage: boolean
}

const sha = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex')

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p
    return 'resolved'
  } catch (err) {
    return (err as { code?: string }).code ?? `uncoded ${(err as Error).message}`
  }
}

export function runArtifactSuite(name: string, adapter: ArtifactAdapter): void {
  describe(`${name} artifact store`, () => {
    it('gives back exactly the bytes written, every byte value, under nested keys', async () => {
      const s = await adapter.open()
      const bytes = new Uint8Array(70_000).map((_, i) => (i * 7919) % 256)
      const key = `tenant-a/pump.health/${sha(bytes)}.onnx`
      expect(await s.exists(key)).toBe(false)
      await s.put(key, bytes)
      expect(await s.exists(key)).toBe(true)
      expect(Buffer.from(await s.get(key, sha(bytes))).equals(Buffer.from(bytes))).toBe(true)
      expect(s.describe(key)).toContain('tenant-a/pump.health/')
      // Another tenant's key with the same file name is another artifact.
      expect(await s.exists(key.replace('tenant-a', 'tenant-b'))).toBe(false)
      s.close?.()
    })

    it('a missing artifact is ARTIFACT_NOT_FOUND; deleting twice is fine', async () => {
      const s = await adapter.open()
      expect(await codeOf(s.get('t/m/nothing.json', 'ab'))).toBe('ARTIFACT_NOT_FOUND')
      const bytes = randomBytes(100)
      await s.put('t/m/x.json', bytes)
      await s.delete('t/m/x.json')
      await s.delete('t/m/x.json')
      expect(await s.exists('t/m/x.json')).toBe(false)
      expect(await codeOf(s.get('t/m/x.json', sha(bytes)))).toBe('ARTIFACT_NOT_FOUND')
      s.close?.()
    })

    it('checks the fingerprint on read: damaged bytes are ARTIFACT_CORRUPT, naming both digests', async () => {
      const s = await adapter.open()
      const bytes = randomBytes(5000)
      const key = `t/m/${sha(bytes)}.json`
      await s.put(key, bytes)
      // Read under another fingerprint than the one written.
      const other = sha(randomBytes(8))
      const err = await s.get(key, other).catch((e: unknown) => e)
      expect(err).toBeInstanceOf(ArtifactCorruptError)
      expect(err).toMatchObject({ code: 'ARTIFACT_CORRUPT', expectedSha256: other, actualSha256: sha(bytes) })
      // Damaged in storage after it was written.
      await adapter.damage(s, key)
      const damaged = await s.get(key, sha(bytes)).catch((e: unknown) => e)
      expect(damaged).toMatchObject({ code: 'ARTIFACT_CORRUPT', expectedSha256: sha(bytes) })
      expect((damaged as ArtifactCorruptError).actualSha256).not.toBe(sha(bytes))
      expect((damaged as Error).message).toContain(s.describe(key))
      s.close?.()
    })

    it('writes atomically: readers during overwrites see one whole version or the other, never a part', async () => {
      const s = await adapter.open()
      const a = randomBytes(1024 * 1024)
      const b = randomBytes(1024 * 1024)
      const key = 't/m/flip.bin'
      await s.put(key, a)
      const seen = new Set<string>()
      let writing = true
      const writer = (async () => {
        for (let i = 0; i < 6; i++) await s.put(key, i % 2 === 0 ? b : a)
        writing = false
      })()
      let reads = 0
      const broken: string[] = []
      while (writing || reads < 3) {
        try {
          await s.get(key, sha(a))
          seen.add('a')
        } catch (err) {
          // The other whole version is fine; torn bytes never are.
          if (err instanceof ArtifactCorruptError) {
            expect(err.actualSha256).toBe(sha(b))
            seen.add('b')
          } else broken.push((err as { code?: string }).code ?? String(err))
        }
        reads++
      }
      await writer
      expect(reads).toBeGreaterThanOrEqual(3)
      expect(seen.size).toBeGreaterThanOrEqual(1)
      if (adapter.atomicStorage) expect(broken).toEqual([])
      else expect(broken.every((c) => c === 'ARTIFACT_STORE_UNAVAILABLE'), broken.join()).toBe(true)
      // Once the writes are over, the last one is what every reader gets.
      expect(Buffer.from(await s.get(key, sha(a))).equals(a)).toBe(true)
      s.close?.()
    })

    it('refuses keys that could leave its directory or prefix', async () => {
      const s = await adapter.open()
      for (const key of ['../escape.json', 't/../../escape.json', '/abs/key.json', 't//m.json', 't/./m.json', '', 'a\\b.json']) {
        expect(await codeOf(s.put(key, new Uint8Array([1]))), key).toBe('STORE_QUERY_FAILED')
        expect(await codeOf(s.get(key, 'ab')), key).toBe('STORE_QUERY_FAILED')
      }
      s.close?.()
    })

    it('a store that cannot be reached says so: ARTIFACT_STORE_UNAVAILABLE on write, read and check', async () => {
      const s = await adapter.openUnreachable()
      const bytes = randomBytes(10)
      expect(await codeOf(s.put('t/m/x.json', bytes))).toBe('ARTIFACT_STORE_UNAVAILABLE')
      expect(await codeOf(s.get('t/m/x.json', sha(bytes)))).toBe('ARTIFACT_STORE_UNAVAILABLE')
      expect(await codeOf(s.exists('t/m/x.json'))).toBe('ARTIFACT_STORE_UNAVAILABLE')
      s.close?.()
    })
  })
}
