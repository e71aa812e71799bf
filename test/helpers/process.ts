/** Starting the platform as a real child process (`prognos start` through tsx), for restart and kill tests. */
import { spawn, type ChildProcess } from 'node:child_process'
import { createServer } from 'node:net'

const CLI = ['--import', 'tsx', 'src/cli/main.ts']

export async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port
      s.close(() => resolve(port))
    })
  })
}

export interface Child {
  child: ChildProcess
  out: () => string
  /** Resolves with the exit code (or null after a signal). */
  exited: Promise<number | null>
}

/** Starts `prognos start` and resolves once it printed its URL. */
export function startPlatformProcess(env: Record<string, string>, args: string[] = []): Promise<Child> {
  const child = spawn(process.execPath, [...CLI, 'start', ...args], { env: { ...process.env, PROGNOS_LOG_LEVEL: 'warn', ...env } })
  let out = ''
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()))
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()))
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no URL within 90 s:\n${out}`)), 90_000)
    child.stdout!.on('data', () => {
      if (/is running at http/.test(out)) {
        clearTimeout(timer)
        resolve({ child, out: () => out, exited })
      }
    })
    void exited.then((code) => {
      clearTimeout(timer)
      reject(new Error(`exited with ${code}:\n${out}`))
    })
  })
}

/** A small JSON client of a running platform. */
export function client(base: string, headers: Record<string, string> = {}) {
  return async <T = unknown>(method: string, path: string, body?: unknown): Promise<{ status: number; json: T }> => {
    const res = await fetch(`${base}${path}`, { method, headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers }, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) })
    const text = await res.text()
    return { status: res.status, json: (text ? JSON.parse(text) : null) as T }
  }
}
