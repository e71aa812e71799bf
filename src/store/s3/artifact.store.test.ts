import { randomBytes } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestS3, type TestS3 } from '../../../test/helpers/s3.js'
import { parseS3Url, S3ArtifactStore } from './artifact.store.js'

describe('parseS3Url', () => {
  it.each([
    ['s3://bucket', { bucket: 'bucket', prefix: '' }],
    ['s3://my.bucket-1/', { bucket: 'my.bucket-1', prefix: '' }],
    ['s3://bucket/models/prod/', { bucket: 'bucket', prefix: 'models/prod' }],
  ])('%s', (url, want) => expect(parseS3Url(url)).toEqual(want))

  it.each([
    ['http://bucket/x', 's3://bucket/prefix'],
    ['s3://AKIA:topsecret@bucket/x', 'must not carry credentials'],
    ['s3://Bad_Bucket/x', 'not a valid bucket name'],
    ['s3://bucket/../x', 'artifact key'],
  ])('refuses %s', (url, msg) => {
    let err: unknown
    try {
      parseS3Url(url)
    } catch (e) {
      err = e
    }
    expect(err).toMatchObject({ message: expect.stringContaining(msg) })
    expect((err as Error).message).not.toContain('topsecret')
  })
})

describe('S3ArtifactStore against s3rver', () => {
  let s3: TestS3
  beforeAll(async () => {
    s3 = await startTestS3()
  })
  afterAll(async () => {
    await s3.close()
  })

  it('a bucket that does not exist is ARTIFACT_STORE_UNAVAILABLE naming the bucket, and no credential reaches a message', async () => {
    const secret = 'never-in-a-message-0123456789'
    const store = new S3ArtifactStore({ url: 's3://no-such-bucket/p', endpoint: s3.endpoint, accessKeyId: 'S3RVER', secretAccessKey: secret })
    const err = (await store.put('t/m/a.json', randomBytes(8)).then(() => null, (e: unknown) => e)) as Error & { code: string }
    expect(err).toMatchObject({ code: 'ARTIFACT_STORE_UNAVAILABLE', message: expect.stringContaining("bucket 'no-such-bucket' does not exist") })
    expect(err.message).not.toContain(secret)
    expect(store.describe('t/m/a.json')).toBe('s3://no-such-bucket/p/t/m/a.json')
    store.close()
  })

  it('stores the SHA-256 and an MD5 with each object, under the prefix', async () => {
    const store = new S3ArtifactStore({ url: `s3://${s3.bucket}/deep/prefix`, endpoint: s3.endpoint, ...s3.credentials })
    const bytes = randomBytes(64)
    await store.put('t/m/b.onnx', bytes)
    // The object sits where the prefix says, with the fingerprint in its metadata.
    expect(readFileSync(s3.objectFile('deep/prefix/t/m/b.onnx')).equals(bytes)).toBe(true)
    const meta = JSON.parse(readFileSync(s3.objectFile('deep/prefix/t/m/b.onnx').replace('_object', '_metadata.json'), 'utf8')) as Record<string, string>
    expect(meta['x-amz-meta-sha256']).toMatch(/^[0-9a-f]{64}$/)
    store.close()
  })
})
