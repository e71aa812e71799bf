import { Command } from 'commander'
import { vi } from 'vitest'
import { registerModelEvalCommands } from '../../src/cli/eval-models.commands.js'

/** Runs `prognos eval …` (the model evaluations) in-process and returns what it printed on stdout. */
export async function evalCli(args: string[]): Promise<string> {
  const program = new Command().exitOverride()
  registerModelEvalCommands(program.command('eval'))
  let printed = ''
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    printed += chunk.toString()
    return true
  })
  try {
    await program.parseAsync(['node', 'prognos', 'eval', ...args])
  } finally {
    spy.mockRestore()
  }
  return printed
}
