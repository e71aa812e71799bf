/**
 * kill -9 during sustained HTTP and MQTT QoS 1 ingest loses no acknowledged reading,
 * and the clients' resends store nothing twice. Runs the built server (npm run build,
 * which the test command does first); bench/crash runs the same harness for 100 rounds.
 */
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { runCrashRounds } from '../../bench/crash.harness.js'

const CLI = fileURLToPath(new URL('../../dist/src/cli/main.js', import.meta.url))

describe('crash (kill -9) during ingest', () => {
  it('keeps every acknowledged reading, exactly once, over several kill rounds', async () => {
    if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run build first`)
    const report = await runCrashRounds({ cli: CLI, rounds: 3, seed: 20261130, log: process.env.TEST_LOG ? (l) => process.stderr.write(`${l}\n`) : undefined })
    // The kills landed during ingest, and some acknowledged readings were resent.
    expect(report.acknowledgedBeforeKill).toBeGreaterThan(0)
    expect(report.interrupted).toBeGreaterThan(0)
    expect(report.duplicatesAnswered).toBeGreaterThan(0)
    expect({ lost: report.lost, duplicated: report.duplicated, unexpected: report.unexpected }).toEqual({ lost: 0, duplicated: 0, unexpected: 0 })
    // Every reading sent was in the end acknowledged, and is stored once with its value.
    expect(report.acknowledged).toBe(report.sent)
    expect(report.stored).toBe(report.sent)
  }, 180_000)
})
