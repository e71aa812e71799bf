/**
 * Exactly-once storage under kill -9: the crash test's harness (bench/crash.harness.ts)
 * for many rounds.
 *
 *   npm run build && node dist/bench/crash.js [--rounds 100] [--seed 1]
 *
 * Each round starts the built server on the same data directory, drives HTTP and MQTT
 * QoS 1 ingest, and kills it with SIGKILL at a random moment; the clients then resend
 * what got no answer, and some of what did. At the end the DuckDB file is opened and
 * every stored row is compared with what was sent and acknowledged.
 * Progress goes to stderr; the last line on stdout is the figures as JSON.
 */
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { runCrashRounds } from './crash.harness.js'

const { values: args } = parseArgs({
  options: {
    rounds: { type: 'string', default: '100' },
    seed: { type: 'string', default: '1' },
  },
})

const t0 = performance.now()
const r = await runCrashRounds({
  cli: fileURLToPath(new URL('../src/cli/main.js', import.meta.url)),
  rounds: Number(args.rounds),
  seed: Number(args.seed),
  log: (line) => void process.stderr.write(`${line}\n`),
})
process.stdout.write(
  `${JSON.stringify({
    rounds: r.rounds,
    acknowledged: r.acknowledged,
    stored: r.stored,
    lost: r.lost,
    duplicated: r.duplicated,
    unexpected: r.unexpected,
    sent: r.sent,
    acknowledged_before_kill: r.acknowledgedBeforeKill,
    resent: r.resent,
    duplicates_answered: r.duplicatesAnswered,
    interrupted: r.interrupted,
    seconds: Math.round((performance.now() - t0) / 1000),
  })}\n`,
)
if (r.lost > 0 || r.duplicated > 0 || r.unexpected > 0 || r.stored !== r.acknowledged) process.exitCode = 1
