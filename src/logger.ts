import { pino, type Logger as PinoLogger } from 'pino'

export type Logger = PinoLogger

/** Paths that may carry secrets; pino replaces their values before a line is written. */
export const REDACTED_PATHS = [
  'password',
  '*.password',
  'token',
  '*.token',
  'accessToken',
  'refreshToken',
  '*.accessToken',
  '*.refreshToken',
  'apiKey',
  '*.apiKey',
  'key',
  'jwtSecret',
  '*.jwtSecret',
  'secretAccessKey',
  '*.secretAccessKey',
  'req.headers.authorization',
  'req.headers["x-api-key"]',
  'req.headers.cookie',
]

/** Structured JSON logs on stdout. */
export function createLogger(level: string, destination?: NodeJS.WritableStream): Logger {
  return pino({ level, redact: { paths: REDACTED_PATHS, censor: '[redacted]' }, base: { service: 'prognos' } }, destination ?? process.stdout)
}
