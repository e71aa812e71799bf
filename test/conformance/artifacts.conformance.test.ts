/** Runs the ArtifactStore conformance suite on the directory adapter and on the S3 adapter against a real S3-protocol server (s3rver). */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll } from 'vitest'
import { FsArtifactStore } from '../../src/store/fs/artifact.store.js'
import { S3ArtifactStore } from '../../src/store/s3/artifact.store.js'
import { startTestS3, type TestS3 } from '../helpers/s3.js'
import { runArtifactSuite } from './artifacts.suite.js'

/** Same length, every byte inverted. */
const flip = (file: string): void => writeFileSync(file, readFileSync(file).map((x) => 255 - x))

const dirs: string[] = []
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true })
})
const tempDir = (): string => {
  const d = mkdtempSync(join(tmpdir(), 'prognos-artifacts-'))
  dirs.push(d)
  return d
}

runArtifactSuite('filesystem', {
  open: async () => new FsArtifactStore(tempDir()),
  damage: async (s, key) => flip(s.describe(key)),
  // Its root is a regular file: nothing can be written or read beneath it.
  openUnreachable: async () => {
    const file = join(tempDir(), 'not-a-directory')
    writeFileSync(file, 'x')
    return new FsArtifactStore(file)
  },
  atomicStorage: true,
})

let s3: TestS3
let n = 0
beforeAll(async () => {
  s3 = await startTestS3()
})
afterAll(async () => {
  await s3?.close()
})
runArtifactSuite('s3', {
  // A fresh prefix per case: the bucket is shared, the keys are not.
  open: async () => new S3ArtifactStore({ url: `s3://${s3.bucket}/case-${++n}/models`, endpoint: s3.endpoint, ...s3.credentials }),
  damage: async (s, key) => flip(s3.objectFile(s.describe(key).slice(`s3://${s3.bucket}/`.length))),
  // Nothing listens on port 9 (discard) here; one attempt so the case stays quick.
  openUnreachable: async () => new S3ArtifactStore({ url: 's3://nowhere/p', endpoint: 'http://127.0.0.1:9', ...s3.credentials, maxAttempts: 1 }),
  atomicStorage: false,
})
