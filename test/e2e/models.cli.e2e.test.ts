/**
 * The registry from the command line, as processes: prognos train (with --promote and --json),
 * models import of an ONNX file, canary/ab/shadow/rollback/history, runs compare, and the same
 * commands against a running platform with --url.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { linearOnnx } from '../../src/models/runtime/onnx.linear.js'
import { sharedData } from '../helpers/data.js'

const CLI = ['--import', 'tsx', 'src/cli/main.ts']
const NAB = sharedData('nab')
const dir = mkdtempSync(join(tmpdir(), 'prognos-models-cli-'))
const children: ChildProcess[] = []
afterAll(() => {
  for (const c of children) c.kill('SIGKILL')
  rmSync(dir, { recursive: true, force: true })
})
const env = { PROGNOS_DATA_DIR: join(dir, 'data'), PROGNOS_LOG_LEVEL: 'silent', PROGNOS_DEMO: 'off', PROGNOS_MQTT: 'off' }

function run(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [...CLI, ...args], { env: { ...process.env, ...env }, encoding: 'utf8', timeout: 90_000 })
  return { status: r.status, stdout: r.stdout, stderr: r.stderr }
}
const json = <T>(args: string[]): T => {
  const r = run([...args, '--json'])
  if (r.status !== 0) throw new Error(`prognos ${args.join(' ')} exited ${r.status}: ${r.stderr}`)
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as T
}

describe('prognos train and models', () => {
  it('trains, imports, deploys, rolls back and compares runs on the local store', () => {
    const spec = join(dir, 'cpu.yaml')
    writeFileSync(
      spec,
      `model: cpu\nfamily: zscore\nparams: { threshold: 5 }\ngates: [{ metric: val_flag_rate, op: '<=', value: 0.2 }]\ndata:\n  csv: ${NAB}/data/realAWSCloudwatch/ec2_cpu_utilization_5f5533.csv\n  labels: { file: ${NAB}/labels/combined_windows.json, key: realAWSCloudwatch/ec2_cpu_utilization_5f5533.csv }\n`,
    )
    const trained = run(['train', spec, '--promote', '--json'])
    expect(trained.status, trained.stderr).toBe(0)
    // Progress bars go to stderr, the one JSON line to stdout.
    expect(trained.stderr).toMatch(/train score/)
    const first = JSON.parse(trained.stdout.trim()) as { runId: string; version: number; promoted: boolean; metrics: Record<string, number> }
    expect(first).toMatchObject({ version: 1, promoted: true, metrics: { labelled_windows: 2 } })
    writeFileSync(spec, `model: cpu\nfamily: zscore\nparams: { threshold: 3 }\ndata: { csv: ${NAB}/data/realAWSCloudwatch/ec2_cpu_utilization_5f5533.csv }\n`)
    const second = json<{ runId: string; version: number; promoted: boolean }>(['train', spec])
    expect(second).toMatchObject({ version: 2, promoted: false })

    const cmp = json<{ runs: { id: string }[]; params: { name: string; values: unknown[] }[]; metrics: { name: string; values: unknown[] }[] }>(['runs', 'compare', first.runId, second.runId])
    expect(cmp.runs.map((r) => r.id)).toEqual([first.runId, second.runId])
    expect(cmp.params.find((p) => p.name === 'threshold')!.values).toEqual([5, 3])
    expect(cmp.metrics.find((m) => m.name === 'labelled_windows')!.values).toEqual([2, null])

    expect(json<{ spec: { canary: unknown } }>(['models', 'canary', 'cpu', '2', '--percent', '15', '--reason', 'try v2']).spec.canary).toEqual({ version: 2, percent: 15 })
    expect(json<{ spec: { canary: unknown } }>(['models', 'canary', 'cpu', 'off', '--reason', 'enough']).spec.canary).toBeNull()
    expect(json<{ spec: { ab: unknown } }>(['models', 'ab', 'cpu', 'A=1:1,B=2:3', '--reason', 'compare']).spec.ab).toEqual({ variants: [{ name: 'A', version: 1, weight: 1 }, { name: 'B', version: 2, weight: 3 }] })
    expect(json<{ spec: { shadow: number[] } }>(['models', 'shadow', 'cpu', '2', '--reason', 'watch']).spec.shadow).toEqual([2])
    expect(json<{ action: string; spec: { ab: unknown; shadow: number[] } }>(['models', 'rollback', 'cpu', '--to', '1', '--reason', 'back'])).toMatchObject({ action: 'rollback', spec: { ab: null, shadow: [] } })
    const history = json<{ items: { action: string; reason: string }[] }>(['models', 'history', 'cpu'])
    expect(history.items.map((h) => h.action)).toEqual(['promote', 'canary', 'clear', 'ab', 'shadow', 'rollback'])

    const bad = run(['models', 'promote', 'cpu', '9', '--reason', 'x'])
    expect(bad.status).toBe(1)
    expect(bad.stderr).toMatch(/MODEL_VERSION_NOT_FOUND/)

    const onnx = join(dir, 'lin.onnx')
    writeFileSync(onnx, linearOnnx([[1], [2]], [0]))
    expect(json<{ version: number; flavour: string }>(['models', 'import', 'lin', onnx, '--inputs', 'a,b', '--outputs', 'y', '--kind', 'health'])).toMatchObject({ version: 1, flavour: 'onnx' })
    const mismatch = run(['models', 'import', 'lin', onnx, '--inputs', 'a,b,c', '--kind', 'health'])
    expect(mismatch.status).toBe(1)
    expect(mismatch.stderr).toMatch(/MODEL_ARTIFACT_INVALID/)
    const listed = json<{ items: { name: string; versions: number }[] }>(['models', 'list'])
    expect(listed.items.map((m) => [m.name, m.versions])).toEqual([
      ['cpu', 2],
      ['lin', 1],
    ])
  }, 240_000)

  it('talks to a running platform with --url', async () => {
    const key = json<{ key: string }>(['keys', 'create', '--name', 'ops', '--role', 'operator'])
    const port = await new Promise<number>((resolve) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as { port: number }).port
        s.close(() => resolve(p))
      })
    })
    const child = spawn(process.execPath, [...CLI, 'start', '--port', String(port)], { env: { ...process.env, ...env, PROGNOS_LOG_LEVEL: 'warn' } })
    children.push(child)
    let out = ''
    child.stdout!.on('data', (d: Buffer) => (out += d.toString()))
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no URL within 90 s: ${out}`)), 90_000)
      child.stdout!.on('data', () => {
        if (/is running at http/.test(out)) {
          clearTimeout(timer)
          resolve()
        }
      })
    })
    const url = `http://127.0.0.1:${port}`
    // The store is the server's now: the local path refuses, the API path works.
    expect(run(['models', 'list']).status).not.toBe(0)
    const remote = (args: string[]) => json<Record<string, unknown>>([...args, '--url', url, '--key', key.key])
    expect(remote(['models', 'promote', 'lin', '1', '--reason', 'remote'])).toMatchObject({ spec: { production: 1 } })
    const res = await fetch(`${url}/v1/models/lin/predict`, { method: 'POST', headers: { 'x-api-key': key.key, 'content-type': 'application/json' }, body: JSON.stringify({ features: { a: 1, b: 2 } }) })
    expect(await res.json()).toMatchObject({ version: 1, value: 5 })
    expect(remote(['models', 'drift', 'lin'])).toMatchObject({ model: 'lin', versions: [{ version: 1, observed: 0 }] })
    child.kill('SIGTERM')
  }, 180_000)
})
