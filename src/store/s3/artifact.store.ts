import { createHash } from 'node:crypto'
import { DeleteObjectCommand, GetObjectCommand, HeadObjectCommand, PutObjectCommand, S3Client, S3ServiceException } from '@aws-sdk/client-s3'
import { checkArtifactKey, verifyArtifact } from '../artifact.check.js'
import { ArtifactNotFoundError, ArtifactStoreUnavailableError } from '../errors.js'
import type { ArtifactStore } from '../registry.ports.js'

/** How long one S3 request may take to connect, and may stay silent once connected. */
export const DEFAULT_S3_CONNECT_TIMEOUT_MS = 5_000
export const DEFAULT_S3_REQUEST_TIMEOUT_MS = 60_000
/** Attempts per S3 call (the SDK retries throttling, 5xx and network errors with backoff). */
export const DEFAULT_S3_MAX_ATTEMPTS = 3
const DEFAULT_S3_REGION = 'us-east-1'

/** Where the artifacts live in object storage, and how to reach it. */
export interface S3ArtifactOptions {
  /** `s3://bucket` or `s3://bucket/prefix`. */
  url: string
  /** An S3-compatible server (MinIO, Ceph, Garage …); AWS when absent. */
  endpoint?: string
  region?: string
  /** Both or neither: without them the SDK's default chain (AWS_* environment, profile, instance role) is used. */
  accessKeyId?: string
  secretAccessKey?: string
  /** `http://host/bucket/key` addressing; default: on when an endpoint is given (what S3-compatible servers expect). */
  pathStyle?: boolean
  maxAttempts?: number
}

/** `s3://bucket/prefix/` → bucket and prefix (no leading or trailing slash). Refuses credentials in the URL. */
export function parseS3Url(url: string): { bucket: string; prefix: string } {
  const m = /^s3:\/\/([^/?#]+)(?:\/([^?#]*))?$/.exec(url)
  if (!m) throw new ArtifactStoreUnavailableError(`artifacts URL must look like s3://bucket/prefix (got '${url.startsWith('s3://') ? 's3://…' : url.slice(0, 16)}')`)
  const bucket = m[1]!
  if (bucket.includes('@') || bucket.includes(':')) throw new ArtifactStoreUnavailableError('the artifacts URL must not carry credentials or a port: give the endpoint and keys in their own settings')
  if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket)) throw new ArtifactStoreUnavailableError(`'${bucket}' is not a valid bucket name (3–63 lower-case letters, digits, dots and hyphens)`)
  const prefix = (m[2] ?? '').replace(/^\/+|\/+$/g, '')
  if (prefix !== '') checkArtifactKey(prefix)
  return { bucket, prefix }
}

/**
 * Artifacts in an S3-compatible bucket, for instances that share no disk. A PutObject is
 * atomic (the object appears whole or not at all) and carries Content-MD5, so a server that
 * receives truncated bytes refuses them; every read is checked against the SHA-256 recorded at
 * registration. Keys live under the URL's prefix. Credentials stay inside the client: no
 * message or `describe()` names them.
 */
export class S3ArtifactStore implements ArtifactStore {
  private readonly client: S3Client
  private readonly bucket: string
  private readonly prefix: string
  private readonly endpointLabel: string

  constructor(opts: S3ArtifactOptions) {
    const { bucket, prefix } = parseS3Url(opts.url)
    this.bucket = bucket
    this.prefix = prefix
    if ((opts.accessKeyId === undefined) !== (opts.secretAccessKey === undefined)) throw new ArtifactStoreUnavailableError('S3 credentials need both the access key id and the secret access key, or neither')
    this.endpointLabel = opts.endpoint ? new URL(opts.endpoint).host : 'AWS'
    this.client = new S3Client({
      region: opts.region ?? DEFAULT_S3_REGION,
      ...(opts.endpoint ? { endpoint: opts.endpoint } : {}),
      forcePathStyle: opts.pathStyle ?? opts.endpoint !== undefined,
      ...(opts.accessKeyId !== undefined && opts.secretAccessKey !== undefined ? { credentials: { accessKeyId: opts.accessKeyId, secretAccessKey: opts.secretAccessKey } } : {}),
      maxAttempts: opts.maxAttempts ?? DEFAULT_S3_MAX_ATTEMPTS,
      // Many S3-compatible servers do not implement the newer flexible checksums; integrity
      // is kept by Content-MD5 on upload and the SHA-256 check on read.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
      requestHandler: { connectionTimeout: DEFAULT_S3_CONNECT_TIMEOUT_MS, requestTimeout: DEFAULT_S3_REQUEST_TIMEOUT_MS },
    })
  }

  private objectKey(key: string): string {
    checkArtifactKey(key)
    return this.prefix === '' ? key : `${this.prefix}/${key}`
  }

  /** Turns an SDK failure into one of the store's errors, naming the object but never the credentials. */
  private fail(op: string, key: string, err: unknown): Error {
    const where = this.describe(key)
    const name = (err as { name?: string }).name ?? ''
    const status = err instanceof S3ServiceException ? err.$metadata.httpStatusCode : undefined
    if (name === 'NoSuchKey' || (name === 'NotFound' && op !== 'put')) return new ArtifactNotFoundError(key, where, { cause: err })
    if (name === 'NoSuchBucket') return new ArtifactStoreUnavailableError(`cannot ${op} artifact ${where}: bucket '${this.bucket}' does not exist on ${this.endpointLabel}`, { cause: err })
    if (status === 401 || status === 403) return new ArtifactStoreUnavailableError(`cannot ${op} artifact ${where}: ${this.endpointLabel} refused access (${name || status}); check the S3 credentials and the bucket policy`, { cause: err })
    if (status === undefined) return new ArtifactStoreUnavailableError(`cannot ${op} artifact ${where}: ${this.endpointLabel} is unreachable or the transfer broke off (${(err as Error).message})`, { cause: err })
    return new ArtifactStoreUnavailableError(`cannot ${op} artifact ${where}: ${this.endpointLabel} answered ${status} ${name}`, { cause: err })
  }

  async put(key: string, bytes: Uint8Array): Promise<void> {
    const Key = this.objectKey(key)
    const md5 = createHash('md5').update(bytes).digest('base64')
    const sha256 = createHash('sha256').update(bytes).digest('hex')
    try {
      await this.client.send(new PutObjectCommand({ Bucket: this.bucket, Key, Body: bytes, ContentLength: bytes.length, ContentMD5: md5, ContentType: 'application/octet-stream', Metadata: { sha256 } }))
    } catch (err) {
      throw this.fail('write', key, err)
    }
  }

  async get(key: string, sha256: string): Promise<Uint8Array> {
    const Key = this.objectKey(key)
    let bytes: Uint8Array
    try {
      const res = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key }))
      if (!res.Body) throw new Error('the response has no body')
      bytes = await res.Body.transformToByteArray()
    } catch (err) {
      throw this.fail('read', key, err)
    }
    return verifyArtifact(key, this.describe(key), bytes, sha256)
  }

  async delete(key: string): Promise<void> {
    try {
      await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: this.objectKey(key) }))
    } catch (err) {
      const e = this.fail('delete', key, err)
      if (!(e instanceof ArtifactNotFoundError)) throw e
    }
  }

  async exists(key: string): Promise<boolean> {
    try {
      await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: this.objectKey(key) }))
      return true
    } catch (err) {
      const e = this.fail('check', key, err)
      if (e instanceof ArtifactNotFoundError) return false
      throw e
    }
  }

  describe(key: string): string {
    return `s3://${this.bucket}/${this.objectKey(key)}`
  }

  /** Closes the client's sockets. */
  close(): void {
    this.client.destroy()
  }
}
