import type { AddressInfo } from 'node:net'
import { SMTPServer } from 'smtp-server'

/** A message the mailbox received: envelope recipients, the raw message, and the login that sent it. */
export interface ReceivedMail {
  to: string[]
  raw: string
  user: string | undefined
}

export interface Mailbox {
  port: number
  mails: ReceivedMail[]
  close(): Promise<void>
}

/**
 * A real SMTP server on a free local port (`smtp-server`, no STARTTLS) that keeps what it
 * receives. With `login`, it requires that user name and password; without, it takes anyone.
 */
export async function startMailbox(login?: { user: string; password: string }): Promise<Mailbox> {
  const mails: ReceivedMail[] = []
  const smtp = new SMTPServer({
    authOptional: !login,
    allowInsecureAuth: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onAuth(auth, _session, cb) {
      if (login && auth.username === login.user && auth.password === login.password) cb(null, { user: auth.username })
      else cb(new Error('Invalid username or password'))
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = []
      stream.on('data', (c: Buffer) => chunks.push(c))
      stream.on('end', () => {
        mails.push({ to: session.envelope.rcptTo.map((r) => r.address), raw: Buffer.concat(chunks).toString('utf8'), user: session.user as string | undefined })
        cb()
      })
    },
  })
  await new Promise<void>((r) => smtp.listen(0, '127.0.0.1', () => r()))
  return {
    port: (smtp.server.address() as AddressInfo).port,
    mails,
    close: () => new Promise<void>((r) => smtp.close(() => r())),
  }
}
