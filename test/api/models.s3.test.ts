/**
 * The scale-out setup with artifacts in object storage: instances share PostgreSQL and an
 * S3 bucket (s3rver here), no disk. A version registered through one instance is served by
 * a new instance that never saw it, from the bytes it loads back from the bucket; damaged
 * objects and a bucket that is down give clear errors and change nothing.
 */
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { linearOnnx } from '../../src/models/runtime/onnx.linear.js'
import { TEST_PG_URL, testSchemas } from '../helpers/pg.js'
import { apiKey, startTestPlatform, type TestPlatform } from '../helpers/platform.js'
import { startTestS3, type TestS3 } from '../helpers/s3.js'

const schemas = testSchemas()
const open: TestPlatform[] = []
let s3: TestS3
let env: Record<string, string>
// s3rver checks the access key id, not the signature: a distinctive secret can be looked for in answers.
const SECRET = 'distinctive-secret-4f1c9b'

beforeAll(async () => {
  s3 = await startTestS3()
  const schema = schemas()
  const admin = new pg.Pool({ connectionString: TEST_PG_URL, max: 1 })
  await admin.query(`CREATE SCHEMA ${schema}`)
  await admin.end()
  env = {
    PROGNOS_DATABASE_URL: `${TEST_PG_URL}${TEST_PG_URL.includes('?') ? '&' : '?'}options=${encodeURIComponent(`-c search_path=${schema}`)}`,
    PROGNOS_DATABASE_POOL_SIZE: '4',
    PROGNOS_REGISTRY_ARTIFACTS_URL: `s3://${s3.bucket}/fleet-a/models`,
    PROGNOS_REGISTRY_S3_ENDPOINT: s3.endpoint,
    PROGNOS_REGISTRY_S3_ACCESS_KEY_ID: 'S3RVER',
    PROGNOS_REGISTRY_S3_SECRET_ACCESS_KEY: SECRET,
  }
})
afterAll(async () => {
  for (const p of open) await p.close()
  await s3?.close()
})

const start = async (): Promise<TestPlatform> => {
  const t = await startTestPlatform(env)
  open.push(t)
  return t
}
const W = [[1.5], [-0.25]]
const B = [2]
const signature = { inputs: [{ name: 'temp' }, { name: 'vib' }], outputs: [{ name: 'health' }] }
const onnx = (w = W, b = B) => Buffer.from(linearOnnx(w, b)).toString('base64')

describe('artifacts in S3', () => {
  it('a version registered through one instance is served by a new instance from the bytes in the bucket', async () => {
    const a = await start()
    const keyA = await apiKey(a, 'operator')
    const reg = await a.platform.app.inject({ method: 'POST', url: '/v1/models/s3-health/versions', headers: keyA, payload: { flavour: 'onnx', kind: 'health', artifact: onnx(), signature } })
    expect(reg.statusCode, reg.body).toBe(201)
    const v = reg.json() as { artifactKey: string; artifactSha256: string }
    // The bytes are in the bucket under the prefix, and not in the instance's data directory.
    const objectKey = `fleet-a/models/${v.artifactKey}`
    expect(readFileSync(s3.objectFile(objectKey)).equals(Buffer.from(linearOnnx(W, B)))).toBe(true)
    expect(existsSync(join(a.dataDir, 'artifacts'))).toBe(false)
    expect(a.platform.registry.artifactStore().describe(v.artifactKey)).toBe(`s3://${s3.bucket}/${objectKey}`)
    expect((await a.platform.app.inject({ method: 'POST', url: '/v1/models/s3-health/promote', headers: keyA, payload: { version: 1, reason: 'first' } })).statusCode).toBe(200)
    await a.close()
    open.splice(open.indexOf(a), 1)

    // A new instance, its own empty data directory: only PostgreSQL and the bucket are shared.
    const b = await start()
    expect(b.dataDir).not.toBe(a.dataDir)
    const keyB = await apiKey(b, 'operator')
    const rows = [
      { temp: 20, vib: 4 },
      { temp: -3.5, vib: 0.5 },
      { temp: 0, vib: 0 },
    ]
    const res = await b.platform.app.inject({ method: 'POST', url: '/v1/models/s3-health/predict', headers: keyB, payload: { items: rows.map((features, i) => ({ assetId: `p${i}`, features })) } })
    expect(res.statusCode, res.body).toBe(200)
    const got = (res.json() as { predictions: { value: number; version: number }[] }).predictions
    rows.forEach((r, i) => {
      expect(got[i]!.version).toBe(1)
      expect(got[i]!.value).toBeCloseTo(r.temp * W[0]![0]! + r.vib * W[1]![0]! + B[0]!, 5)
    })
    expect(existsSync(join(b.dataDir, 'artifacts'))).toBe(false)
  })

  it('a version whose object was damaged in the bucket is refused at promotion; production keeps serving', async () => {
    const t = open[0] ?? (await start())
    const key = await apiKey(t, 'operator')
    const reg = await t.platform.app.inject({ method: 'POST', url: '/v1/models/s3-health/versions', headers: key, payload: { flavour: 'onnx', artifact: onnx([[2], [2]], [0]), signature } })
    expect(reg.statusCode, reg.body).toBe(201)
    const v = reg.json() as { version: number; artifactKey: string }
    const file = s3.objectFile(`fleet-a/models/${v.artifactKey}`)
    // A bit flipped at rest, same length: only the fingerprint can tell.
    const bytes = readFileSync(file)
    bytes[bytes.length - 3] = bytes[bytes.length - 3]! ^ 0x01
    writeFileSync(file, bytes)
    const res = await t.platform.app.inject({ method: 'POST', url: '/v1/models/s3-health/promote', headers: key, payload: { version: v.version, reason: 'should fail' } })
    expect(res.statusCode).toBe(400)
    expect(res.json()).toMatchObject({ code: 'MODEL_ARTIFACT_INVALID', message: expect.stringMatching(/version 2 .*is corrupt/) })
    const still = await t.platform.app.inject({ method: 'POST', url: '/v1/models/s3-health/predict', headers: key, payload: { assetId: 'p9', features: { temp: 1, vib: 1 }, record: false } })
    expect(still.json()).toMatchObject({ version: 1, value: expect.closeTo(3.25, 5) })
  })

  it('with the bucket down, registration answers 503 ARTIFACT_STORE_UNAVAILABLE and registers nothing; secrets stay out of the answer', async () => {
    const t = open[0] ?? (await start())
    const key = await apiKey(t, 'operator')
    await s3.close()
    const res = await t.platform.app.inject({ method: 'POST', url: '/v1/models/s3-new/versions', headers: key, payload: { flavour: 'onnx', kind: 'health', artifact: onnx(), signature } })
    expect(res.statusCode, res.body).toBe(503)
    expect(res.json()).toMatchObject({ code: 'ARTIFACT_STORE_UNAVAILABLE', message: expect.stringContaining('unreachable') })
    expect(res.body).not.toContain(SECRET)
    expect((await t.platform.app.inject({ method: 'GET', url: '/v1/models/s3-new', headers: key })).statusCode).toBe(404)
    // The bucket's directory is gone with the server: nothing was written anywhere.
    expect(existsSync(s3.dir) ? readdirSync(s3.dir) : []).toEqual([])
  })
})
