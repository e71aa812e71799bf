#!/usr/bin/env node
/**
 * The `prognos` command.
 */
import { Command, Option } from 'commander'
import { registerAnomalyCommands } from './anomaly.commands.js'
import { runKeys, runMigrate, runSimulate, runStart, runUsers, setConfigFile } from './commands.js'
import { registerEvalCommands } from './eval.commands.js'
import { registerModelEvalCommands } from './eval-models.commands.js'
import { registerModelsCommands } from './models.commands.js'
import { registerAlertsCommands } from './alerts.commands.js'

const program = new Command()
program
  .name('prognos')
  .description('Prognos: prognostics and health management for fleets of assets')
  .option('-c, --config <file>', 'YAML configuration file (environment variables PROGNOS_* override it)')
  .showHelpAfterError()
  .hook('preAction', (_program, action) => setConfigFile(action.optsWithGlobals<{ config?: string }>().config))

program
  .command('start')
  .description('start the API, the dashboard and (with --demo, or on an empty data directory) a simulated fleet')
  .option('--demo', 'stream the simulated fleet even if the store already holds other assets')
  .option('--no-demo', 'never stream the simulated fleet')
  .option('-p, --port <port>', 'HTTP port (PROGNOS_PORT)')
  .option('--host <host>', 'interface to listen on (PROGNOS_HOST)')
  .option('--data-dir <dir>', 'data directory (PROGNOS_DATA_DIR)')
  .option('--open', 'open the dashboard in a browser once started')
  .action(runStart)

program
  .command('simulate')
  .description('send a simulated fleet, or a C-MAPSS replay, to a running platform over HTTP')
  .requiredOption('--url <url>', 'base URL of the platform, e.g. http://127.0.0.1:8080')
  .option('--key <apiKey>', 'API key with the ingest or operator role (or PROGNOS_API_KEY)')
  .option('--turbofans <n>', 'number of simulated turbofan engines', '6')
  .option('--battery-strings <n>', 'number of lead-acid battery strings', '3')
  .option('--cells <n>', 'cells per battery string', '12')
  .option('--packs <n>', 'number of Li-ion packs', '3')
  .option('--meters <n>', 'number of building energy meters', '6')
  .option('--no-faults', 'do not inject faults')
  .option('--seed <n>', 'random seed', '42')
  .option('--interval-ms <ms>', 'time between ticks', '1000')
  .option('--cmapss <file>', 'replay the units of a C-MAPSS file (plain or .gz) instead of the simulated fleet')
  .option('--units <list>', 'with --cmapss: comma-separated unit numbers to replay (default all)')
  .option('--speed <cyclesPerSec>', 'with --cmapss: cycles per second per unit', '1')
  .option('--duration <sec>', 'stop after this many seconds (default: run until interrupted)')
  .option('--json', 'print progress as JSON lines')
  .action(runSimulate)

program
  .command('migrate')
  .description('apply pending database migrations')
  .option('--status', 'only show which migrations are pending')
  .option('--json', 'print JSON')
  .action(runMigrate)

const users = program.command('users').description('manage users')
users
  .command('list')
  .option('--json', 'print JSON')
  .action((o: { json?: boolean }) => runUsers('list', o))
users
  .command('create')
  .requiredOption('--username <name>')
  .addOption(new Option('--role <role>').choices(['admin', 'operator', 'viewer', 'ingest']).default('viewer'))
  .option('--tenant <id>', 'tenant id', 'default')
  .option('--password <pw>', 'password (or PROGNOS_NEW_PASSWORD; generated and printed when absent)')
  .option('--json', 'print JSON')
  .action((o: Record<string, string | boolean | undefined>) => runUsers('create', o))
users
  .command('passwd')
  .requiredOption('--username <name>')
  .option('--password <pw>', 'new password (or PROGNOS_NEW_PASSWORD; generated and printed when absent)')
  .option('--json', 'print JSON')
  .action((o: Record<string, string | boolean | undefined>) => runUsers('passwd', o))

const keys = program.command('keys').description('manage API keys (devices use the key id as MQTT username and the key as password)')
keys
  .command('list')
  .option('--tenant <id>', 'tenant id (default: all)')
  .option('--json', 'print JSON')
  .action((o: Record<string, string | boolean | undefined>) => runKeys('list', o))
keys
  .command('create')
  .requiredOption('--name <name>', 'what the key is for, e.g. a device or a script')
  .addOption(new Option('--role <role>').choices(['admin', 'operator', 'viewer', 'ingest']).default('ingest'))
  .option('--tenant <id>', 'tenant id', 'default')
  .option('--json', 'print JSON')
  .action((o: Record<string, string | boolean | undefined>) => runKeys('create', o))
keys
  .command('revoke')
  .argument('<id>', 'key id')
  .option('--json', 'print JSON')
  .action((id: string, o: Record<string, string | boolean | undefined>) => runKeys('revoke', { ...o, id }))

registerModelEvalCommands(registerEvalCommands(program))
registerModelsCommands(program)
registerAlertsCommands(program)
registerAnomalyCommands(program)

program.parseAsync(process.argv).catch((err: unknown) => {
  process.stderr.write(`prognos: ${(err as Error).message}\n`)
  process.exit(1)
})
