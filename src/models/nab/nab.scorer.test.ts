import { readFileSync, readdirSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { sharedData } from '../../../test/helpers/data.js'
import { NabInputError } from './errors.js'
import { parseNabCsv, parseNabTimestamp, parseProfiles, parseWindows } from './nab.labels.js'
import { NAB_PROFILES, probationaryLength, scaledSigmoid, scoreCorpus, scoreProfile, type NabFile } from './nab.scorer.js'

const MIN = 60_000
const STD = NAB_PROFILES.standard!

/** A file of `n` rows one minute apart, with windows given as row ranges. */
function file(n: number, windows: Array<[number, number]>, scores: (i: number) => number, path = 'cat/a.csv'): NabFile {
  const timestamps = Array.from({ length: n }, (_, i) => i * MIN)
  return { path, timestamps, scores: timestamps.map((_, i) => scores(i)), windows: windows.map(([a, b]) => [a * MIN, b * MIN] as const) }
}

describe('NAB scaled sigmoid and probation', () => {
  it.each([
    [-1, 0.986614298],
    [-0.5, 0.848283639],
    [0, 0],
    [1, -0.986614298],
    [3, -1],
    [10, -1],
  ])('scaledSigmoid(%d) = %d', (x, y) => {
    expect(scaledSigmoid(x)).toBeCloseTo(y, 8)
  })

  it.each([
    [100, 15],
    [4032, 604],
    [15842, 750],
    [5000, 750],
  ])('a file of %d rows has %d rows of probation', (n, p) => {
    expect(probationaryLength(n)).toBe(p)
  })
})

describe('NAB scorer', () => {
  // 200 rows: probation 30; window rows 100–119 (width 20).
  const W: Array<[number, number]> = [[100, 119]]

  it('the perfect detector (first row of each window, nothing else) scores 100 in every profile', () => {
    const files = [file(200, W, (i) => (i === 100 ? 1 : 0)), file(400, [[100, 109], [250, 299]], (i) => (i === 100 || i === 250 ? 1 : 0), 'dog/b.csv')]
    const r = scoreCorpus(files)
    for (const p of Object.values(r)) {
      expect(p.score).toBeCloseTo(100, 10)
      expect(p.detectedWindows).toBe(3)
      expect(p.falsePositives).toBe(0)
    }
    expect(r.standard!.categories.cat!.score).toBeCloseTo(100, 10)
  })

  it('the null detector (a constant score) scores 0 in every profile', () => {
    const files = [file(200, W, () => 0.5), file(300, [], () => 0.5, 'dog/b.csv')]
    const r = scoreCorpus(files)
    for (const p of Object.values(r)) {
      expect(p.score).toBe(0)
      expect(p.raw).toBe(p.nullRaw)
    }
    expect(r.standard!.nullRaw).toBe(-1)
    expect(r.reward_low_FN_rate!.nullRaw).toBe(-2)
    // A category without windows has no normalised score, only its raw score.
    expect(r.standard!.categories.dog).toMatchObject({ windows: 0, score: null, raw: 0 })
  })

  it('a detection halfway into a window earns the scaled sigmoid there, divided by its value at the first row', () => {
    // Row 110 of window 100–119: position −(119 − 110 + 1)/20 = −0.5.
    const r = scoreProfile([file(200, W, (i) => (i === 110 ? 1 : 0))], STD)
    const expected = scaledSigmoid(-0.5) / scaledSigmoid(-1)
    expect(r.raw).toBeCloseTo(expected, 12)
    expect(r.score).toBeCloseTo((100 * (expected + 1)) / 2, 10)
    expect(r.counts).toEqual({ tp: 1, fn: 19, fp: 0, tn: 150 })
  })

  it('only the earliest detection of a window counts', () => {
    const r = scoreProfile([file(200, W, (i) => (i >= 105 && i <= 119 ? 1 : 0))], STD)
    expect(r.raw).toBeCloseTo(scaledSigmoid(-15 / 20) / scaledSigmoid(-1), 12)
    expect(r.detectedWindows).toBe(1)
  })

  it('false positives before any window cost fpWeight; after a window they cost less the closer they are', () => {
    // FP at row 50 (before the window): −0.11. FP at row 129: position |119 − 129| / 19.
    const r = scoreProfile([file(200, W, (i) => (i === 50 || i === 129 ? 1 : 0))], STD, { threshold: 1 })
    const expected = -1 + -0.11 + scaledSigmoid(10 / 19) * 0.11
    expect(r.raw).toBeCloseTo(expected, 12)
    expect(r.falsePositives).toBe(2)
  })

  it('detections in the probationary period are ignored, and the threshold that maximises the corpus score wins', () => {
    // Row 10 is in probation (score 0.9): it must not count. The window's first row has 0.6, an FP has 0.8.
    const f = file(200, W, (i) => (i === 10 ? 0.9 : i === 100 ? 0.6 : i === 150 ? 0.8 : 0))
    const r = scoreProfile([f], STD)
    // At 0.6: window detected at its first row (+1) and the FP at row 150, 31 rows past the end (−0.11).
    expect(r.threshold).toBe(0.6)
    expect(r.raw).toBeCloseTo(1 + scaledSigmoid(31 / 19) * 0.11, 12)
    // When false positives cost 5 and a missed window nothing, detecting nothing is best.
    const lazy = scoreProfile([f], { tpWeight: 1, fpWeight: 5, fnWeight: 0 })
    expect(lazy.threshold).toBeGreaterThan(0.8)
    expect(lazy.raw).toBe(0)
    // Left to itself the optimiser would skip row 100; at a forced threshold of 0.6 both count.
    expect(scoreProfile([f], { tpWeight: 1, fpWeight: 5, fnWeight: 0 }, { threshold: 0.6 }).raw).toBeCloseTo(1 + 5 * scaledSigmoid(31 / 19), 12)
  })

  it('refuses scores that are not numbers and windows without rows', () => {
    expect(() => scoreProfile([file(50, [], (i) => (i === 3 ? Number.NaN : 0))], STD)).toThrow(NabInputError)
    expect(() => scoreProfile([{ ...file(50, [], () => 0), windows: [[1e12, 1e12 + 1]] }], STD)).toThrow(NabInputError)
  })
})

describe('NAB scorer against NAB’s own per-file results', () => {
  // NAB's published per-file scores of the Numenta HTM detector at the thresholds of config/thresholds.json,
  // for the 38 files of the shared subset: every file, every profile, score and counts must match.
  const ref = JSON.parse(readFileSync(new URL('../../../test/fixtures/nab/numenta-reference-scores.json', import.meta.url), 'utf8')) as {
    profiles: Record<string, Array<{ file: string; score: number; tp: number; tn: number; fp: number; fn: number }>>
  }
  const root = sharedData('nab')
  const windows = parseWindows(JSON.parse(readFileSync(`${root}/labels/combined_windows.json`, 'utf8')))
  const profiles = parseProfiles(JSON.parse(readFileSync(`${root}/config/profiles.json`, 'utf8')))
  const thresholds = JSON.parse(readFileSync(`${root}/config/thresholds.json`, 'utf8')) as Record<string, Record<string, { threshold: number }>>
  const files: NabFile[] = []
  for (const cat of readdirSync(`${root}/reference_results/numenta`).sort()) {
    for (const name of readdirSync(`${root}/reference_results/numenta/${cat}`).sort()) {
      const t = parseNabCsv(readFileSync(`${root}/reference_results/numenta/${cat}/${name}`, 'utf8'))
      const path = `${cat}/${name.slice('numenta_'.length)}`
      files.push({ path, timestamps: t.timestamps, scores: t.columns.anomaly_score!, windows: windows[path]! })
    }
  }

  it.each(Object.keys(NAB_PROFILES))('%s: all 38 files match', (profile) => {
    const r = scoreProfile(files, profiles[profile]!, { threshold: thresholds.numenta![profile]!.threshold })
    const expected = ref.profiles[profile]!
    expect(r.files).toHaveLength(expected.length)
    for (const e of expected) {
      const got = r.files.find((f) => f.path === e.file)!
      expect(got, e.file).toBeDefined()
      expect(got.score, e.file).toBeCloseTo(e.score, 9)
      expect({ tp: got.tp, tn: got.tn, fp: got.fp, fn: got.fn }, e.file).toEqual({ tp: e.tp, tn: e.tn, fp: e.fp, fn: e.fn })
    }
  })

  it('the perfect detector scores 100 and the null detector 0 on the real labels', () => {
    const perfect = files.map((f) => ({ ...f, scores: f.timestamps.map((t) => (f.windows.some(([a]) => a === t) ? 1 : 0)) }))
    const none = files.map((f) => ({ ...f, scores: f.timestamps.map(() => 0.5) }))
    for (const p of Object.values(scoreCorpus(perfect, profiles))) expect(p.score).toBeCloseTo(100, 9)
    for (const p of Object.values(scoreCorpus(none, profiles))) expect(p.score).toBe(0)
  })
})

describe('NAB inputs', () => {
  it('reads timestamps with or without microseconds as UTC', () => {
    expect(parseNabTimestamp('2014-04-10 07:15:00.000000')).toBe(Date.UTC(2014, 3, 10, 7, 15))
    expect(parseNabTimestamp('2014-04-10 07:15:00')).toBe(Date.UTC(2014, 3, 10, 7, 15))
    expect(() => parseNabTimestamp('10/04/2014')).toThrow(NabInputError)
  })

  it('refuses labels and profiles of the wrong shape', () => {
    expect(() => parseWindows([])).toThrow(NabInputError)
    expect(() => parseWindows({ 'a/b.csv': [['2014-01-01 00:00:00']] })).toThrow(NabInputError)
    expect(() => parseProfiles({ standard: { CostMatrix: { tpWeight: 1 } } })).toThrow(/fpWeight/)
  })
})
