/**
 * Real local HTTP endpoints shaped like the notification targets: a generic webhook that
 * checks the HMAC signature and honours the idempotency key, and Slack- and Teams-like
 * incoming webhooks. Each records what it received.
 */
import { createHmac, timingSafeEqual } from 'node:crypto'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface Received {
  path: string
  headers: IncomingMessage['headers']
  body: Record<string, unknown>
  signatureOk: boolean | null
}

export interface Receiver {
  url: string
  /** Every request, in arrival order. */
  requests: Received[]
  /** Webhook deliveries applied once per idempotency key (what an honouring receiver keeps). */
  applied: Map<string, Received>
  /** Requests whose idempotency key had already been applied. */
  duplicates: number
  /** Next answers: a status to answer instead of 200, or 'hang' to never answer. */
  failNext: (number | 'hang')[]
  /** Answer every request after this many ms. */
  delayMs: number
  close(): Promise<void>
}

export async function startReceiver(opts: { secret?: string; port?: number } = {}): Promise<Receiver> {
  const sockets = new Set<import('node:net').Socket>()
  const r: Receiver = {
    url: '',
    requests: [],
    applied: new Map(),
    duplicates: 0,
    failNext: [],
    delayMs: 0,
    close: async () => {
      for (const s of sockets) s.destroy()
      await new Promise<void>((res) => server.close(() => res()))
    },
  }
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const chunks: Buffer[] = []
    for await (const c of req) chunks.push(c as Buffer)
    const raw = Buffer.concat(chunks).toString('utf8')
    let signatureOk: boolean | null = null
    const sig = req.headers['x-prognos-signature']
    if (opts.secret && typeof sig === 'string') {
      const want = `sha256=${createHmac('sha256', opts.secret).update(`${String(req.headers['x-prognos-timestamp'])}.${raw}`).digest('hex')}`
      signatureOk = want.length === sig.length && timingSafeEqual(Buffer.from(want), Buffer.from(sig))
    }
    const rec: Received = { path: req.url ?? '', headers: req.headers, body: JSON.parse(raw || '{}') as Record<string, unknown>, signatureOk }
    r.requests.push(rec)
    const fail = r.failNext.shift()
    if (fail === 'hang') return
    if (typeof fail === 'number') {
      res.writeHead(fail, { 'content-type': 'text/plain' }).end('nope')
      return
    }
    // Applied on receipt, answered after the delay: a sender that dies meanwhile never learns it was applied.
    const key = req.headers['idempotency-key']
    if (typeof key === 'string') {
      if (r.applied.has(key)) r.duplicates++
      else r.applied.set(key, rec)
    }
    if (r.delayMs > 0) await new Promise((res2) => setTimeout(res2, r.delayMs))
    // Slack answers "ok", Teams "1", a webhook JSON.
    if (req.url?.startsWith('/slack')) res.writeHead(200, { 'content-type': 'text/plain' }).end('ok')
    else if (req.url?.startsWith('/teams')) res.writeHead(200, { 'content-type': 'text/plain' }).end('1')
    else res.writeHead(200, { 'content-type': 'application/json' }).end('{"received":true}')
  }
  const server: Server = createServer((req, res) => {
    handle(req, res).catch(() => res.writeHead(500).end())
  })
  server.on('connection', (s) => {
    sockets.add(s)
    s.on('close', () => sockets.delete(s))
  })
  await new Promise<void>((res) => server.listen(opts.port ?? 0, '127.0.0.1', res))
  r.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return r
}

/** Polls until `fn` holds or `timeoutMs` passes; returns whether it held. */
export async function waitFor(fn: () => boolean | Promise<boolean>, timeoutMs = 10_000, stepMs = 25): Promise<boolean> {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (await fn()) return true
    await new Promise((r) => setTimeout(r, stepMs))
  }
  return fn()
}
