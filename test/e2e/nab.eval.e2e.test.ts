import { spawnSync } from 'node:child_process'
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { runNabEval } from '../../src/models/nab/nab.eval.js'
import { sharedData } from '../helpers/data.js'

const CLI = ['--import', 'tsx', 'src/cli/main.ts']
const NAB = sharedData('nab')
const LABELS = `${NAB}/labels/combined_windows.json`
const SUBSET = ['artificialNoAnomaly/art_flatline.csv', 'artificialWithAnomaly/art_daily_jumpsup.csv', 'realAWSCloudwatch/ec2_cpu_utilization_825cc2.csv']
const dirs: string[] = []
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true })
})

/** A small NAB data folder: three files of the shared corpus, copied to a temporary folder (never into the repository). */
function subset(): string {
  const d = mkdtempSync(join(tmpdir(), 'prognos-nab-'))
  dirs.push(d)
  for (const f of SUBSET) {
    mkdirSync(join(d, 'data', f, '..'), { recursive: true })
    copyFileSync(`${NAB}/data/${f}`, join(d, 'data', f))
  }
  return d
}

describe('prognos eval nab (end to end)', () => {
  it('runs the detector over a subset, writes result files, and prints one JSON line of scores', () => {
    const d = subset()
    const out = join(d, 'results')
    const r = spawnSync(process.execPath, [...CLI, 'eval', 'nab', '--data', join(d, 'data'), '--labels', LABELS, '--out', out, '--json'], { encoding: 'utf8', timeout: 120_000 })
    expect(r.status, r.stderr).toBe(0)
    const lines = r.stdout.trim().split('\n')
    expect(lines).toHaveLength(1)
    const json = JSON.parse(lines[0]!) as Record<string, { score: number; threshold: number; windows: number; categories: Record<string, { score: number | null; files: number }> }>
    for (const profile of ['standard', 'reward_low_FP_rate', 'reward_low_FN_rate']) {
      const p = json[profile]!
      expect(Number.isFinite(p.score), profile).toBe(true)
      expect(p.score).toBeLessThanOrEqual(100)
      expect(p.score).toBeGreaterThan(-100)
      expect(p.windows).toBe(2)
      expect(Object.keys(p.categories).sort()).toEqual(['artificialNoAnomaly', 'artificialWithAnomaly', 'realAWSCloudwatch'])
      expect(p.categories.artificialNoAnomaly!.score).toBeNull()
    }
    expect(json).toMatchObject({ detector: 'context', files: 3 })
    // One result file per data file, row for row, labelled from the windows.
    for (const f of SUBSET) {
      const data = readFileSync(`${NAB}/data/${f}`, 'utf8').trim().split('\n')
      const res = readFileSync(join(out, f), 'utf8').trim().split('\n')
      expect(res[0]).toBe('timestamp,value,anomaly_score,label')
      expect(res).toHaveLength(data.length)
      const [ts, value] = data[1]!.split(',')
      expect(res[1]!.split(',').slice(0, 2).map((c, i) => (i === 0 ? c : Number(c)))).toEqual([ts, Number(value)])
      const scores = res.slice(1).map((l) => Number(l.split(',')[2]))
      expect(scores.every((s) => s >= 0 && s <= 1)).toBe(true)
      const labelled = res.slice(1).filter((l) => l.endsWith(',1')).length
      expect(labelled > 0).toBe(!f.startsWith('artificialNoAnomaly'))
    }
    expect(r.stderr).toContain('3/3 files')
  })

  it('prints every profile and category for people, and fails in one line on a missing labels file', () => {
    const d = subset()
    const r = spawnSync(process.execPath, [...CLI, 'eval', 'nab', '--data', join(d, 'data'), '--labels', LABELS], { encoding: 'utf8', timeout: 120_000 })
    expect(r.status, r.stderr).toBe(0)
    for (const s of ['standard:', 'reward_low_FP_rate:', 'reward_low_FN_rate:', 'realAWSCloudwatch', 'artificialWithAnomaly']) expect(r.stdout).toContain(s)
    const bad = spawnSync(process.execPath, [...CLI, 'eval', 'nab', '--data', join(d, 'data'), '--labels', join(d, 'nope.json')], { encoding: 'utf8', timeout: 60_000 })
    expect(bad.status).toBe(1)
    expect(bad.stderr).toMatch(/labels file not found/)
  })

  it('scores NAB’s reference results of the Numenta detector through the same path (results folder instead of a detector)', () => {
    const r = runNabEval({ dataDir: `${NAB}/data`, labelsFile: LABELS, resultsDir: `${NAB}/reference_results/numenta` })
    expect(r.files).toBe(38)
    // On these 38 files the optimised standard score of Numenta HTM is 70.25 (70.24 at NAB's own full-corpus threshold).
    expect(r.scores.standard!.score).toBeCloseTo(70.25, 1)
  })
})
