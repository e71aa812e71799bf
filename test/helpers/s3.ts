/**
 * A real S3-protocol server for tests: s3rver (an HTTP server speaking the S3 REST API,
 * storing objects on disk) on a free port, with one bucket. No MinIO here, and no network.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import S3rver from 's3rver'

export interface TestS3 {
  endpoint: string
  bucket: string
  /** Where s3rver keeps its objects: `<dir>/<bucket>/<key>._S3rver_object`. */
  dir: string
  /** The file holding an object's bytes (to damage it behind the server's back). */
  objectFile(objectKey: string): string
  /** s3rver's own credentials. */
  credentials: { accessKeyId: string; secretAccessKey: string }
  close(): Promise<void>
}

export async function startTestS3(bucket = 'prognos-artifacts'): Promise<TestS3> {
  const dir = mkdtempSync(join(tmpdir(), 'prognos-s3-'))
  const server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory: dir, configureBuckets: [{ name: bucket }] })
  const addr = await server.run()
  let closed = false
  return {
    endpoint: `http://127.0.0.1:${addr.port}`,
    bucket,
    dir,
    objectFile: (objectKey) => join(dir, bucket, `${objectKey}._S3rver_object`),
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    async close() {
      if (closed) return
      closed = true
      await server.close()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}
