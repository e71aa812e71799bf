import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto'
import { SignJWT, jwtVerify } from 'jose'
import type { Role } from '../domain/model.js'
import type { ApiKeyRecord, MetaStore, UserRecord } from '../store/ports.js'
import { ForbiddenError, InvalidCredentialsError, InvalidTokenError } from './errors.js'
import { generatePassword, hashPassword, verifyPassword } from './password.js'
import type { Principal } from './permissions.js'

export const DEFAULT_TENANT_ID = 'default'
const JWT_SECRET_SETTING = 'auth.jwt_secret'
const API_KEY_PREFIX = 'prg'
/** How long a verified API key is trusted without a store round trip; revocation elsewhere takes effect within it. */
const API_KEY_CACHE_MS = 10_000

export interface AuthOptions {
  adminUsername: string
  adminPassword?: string
  jwtSecret?: string
  accessTokenTtlSec: number
  refreshTokenTtlSec: number
}

export interface TokenPair {
  accessToken: string
  refreshToken: string
  expiresInSec: number
  user: { id: string; username: string; role: Role; tenantId: string }
}

/** Result of first-start bootstrapping; `password` is only set when it was generated. */
export interface BootstrapResult {
  created: boolean
  username: string
  generatedPassword?: string
}

const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex')

/** Splits `prg_<id>_<secret>`; the id is what MQTT devices use as their username. */
export function parseApiKey(key: string): { id: string; secret: string } | null {
  const m = /^prg_(k[0-9a-f]{12})_([A-Za-z0-9_-]{20,})$/.exec(key)
  return m ? { id: m[1]!, secret: m[2]! } : null
}

/**
 * Users, sessions and API keys. Passwords are scrypt-hashed; API keys and refresh
 * tokens are stored only as SHA-256 hashes (they are high-entropy, so a fast hash is enough).
 */
export class AuthService {
  private secret: Uint8Array | null = null
  private readonly keyCache = new Map<string, { record: ApiKeyRecord; hash: string; until: number }>()
  /** Users known to exist, so that a deleted user's still-valid access token stops working. */
  private readonly userSeen = new Map<string, number>()

  constructor(
    private readonly meta: MetaStore,
    private readonly opts: AuthOptions,
    private readonly now: () => number = Date.now,
  ) {}

  /** Loads the signing key and, on the very first start, creates the default tenant and the admin. */
  async init(): Promise<BootstrapResult> {
    const stored = this.opts.jwtSecret ?? (await this.meta.setSettingIfAbsent(JWT_SECRET_SETTING, randomBytes(48).toString('base64url')))
    this.secret = new TextEncoder().encode(stored)
    if ((await this.meta.countUsers()) > 0) return { created: false, username: this.opts.adminUsername }
    if (!(await this.meta.getTenant(DEFAULT_TENANT_ID))) await this.meta.createTenant({ id: DEFAULT_TENANT_ID, name: 'Default' })
    const password = this.opts.adminPassword ?? generatePassword()
    await this.meta.createUser({
      id: randomUUID(),
      tenantId: DEFAULT_TENANT_ID,
      username: this.opts.adminUsername,
      passwordHash: await hashPassword(password),
      role: 'admin',
      platformAdmin: true,
    })
    return this.opts.adminPassword
      ? { created: true, username: this.opts.adminUsername }
      : { created: true, username: this.opts.adminUsername, generatedPassword: password }
  }

  private key(): Uint8Array {
    if (!this.secret) throw new Error('AuthService.init() was not called')
    return this.secret
  }

  async login(username: string, password: string): Promise<TokenPair> {
    const user = await this.meta.getUserByName(username)
    // Verify against a dummy hash for unknown users so timing does not reveal which usernames exist.
    const ok = await verifyPassword(password, user?.passwordHash ?? 'scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA')
    if (!user || !ok) throw new InvalidCredentialsError()
    return this.issue(user)
  }

  async refresh(refreshToken: string): Promise<TokenPair> {
    const hash = sha256(refreshToken)
    const rec = await this.meta.getRefreshToken(hash)
    if (!rec || rec.revokedAt !== null || rec.expiresAt <= this.now()) throw new InvalidTokenError('the refresh token is invalid, expired or already used')
    const user = await this.meta.getUser(rec.userId)
    if (!user) throw new InvalidTokenError('the refresh token belongs to a deleted user')
    // Rotation: a refresh token works once. The revoke is the atomic step: of racing
    // requests with the same token, only the one that revoked it gets new tokens.
    if (!(await this.meta.revokeRefreshToken(hash))) throw new InvalidTokenError('the refresh token is invalid, expired or already used')
    return this.issue(user)
  }

  async logout(refreshToken: string): Promise<void> {
    await this.meta.revokeRefreshToken(sha256(refreshToken))
  }

  private async issue(user: UserRecord): Promise<TokenPair> {
    const nowSec = Math.floor(this.now() / 1000)
    const accessToken = await new SignJWT({ tid: user.tenantId, role: user.role, pa: user.platformAdmin, name: user.username })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(user.id)
      .setIssuedAt(nowSec)
      .setExpirationTime(nowSec + this.opts.accessTokenTtlSec)
      .setIssuer('prognos')
      .sign(this.key())
    const refreshToken = randomBytes(32).toString('base64url')
    await this.meta.saveRefreshToken({ tokenHash: sha256(refreshToken), userId: user.id, expiresAt: this.now() + this.opts.refreshTokenTtlSec * 1000 })
    return {
      accessToken,
      refreshToken,
      expiresInSec: this.opts.accessTokenTtlSec,
      user: { id: user.id, username: user.username, role: user.role, tenantId: user.tenantId },
    }
  }

  /** Verifies an access token. */
  async authenticateBearer(token: string): Promise<Principal> {
    try {
      const { payload } = await jwtVerify(token, this.key(), { issuer: 'prognos', algorithms: ['HS256'], currentDate: new Date(this.now()) })
      await this.checkUserExists(String(payload.sub))
      return {
        kind: 'user',
        id: String(payload.sub),
        name: String(payload.name),
        tenantId: String(payload.tid),
        role: payload.role as Role,
        platformAdmin: payload.pa === true,
      }
    } catch (err) {
      if (err instanceof InvalidTokenError) throw err
      throw new InvalidTokenError(undefined, { cause: err })
    }
  }

  private async checkUserExists(userId: string): Promise<void> {
    const seen = this.userSeen.get(userId)
    if (seen !== undefined && seen > this.now()) return
    if (!(await this.meta.getUser(userId))) throw new InvalidTokenError('the user of this token no longer exists')
    this.userSeen.set(userId, this.now() + API_KEY_CACHE_MS)
  }

  /** Changes a user's role or password on behalf of `actor`; a platform administrator only by another. */
  async updateUser(actor: Principal, userId: string, patch: { role?: Role; password?: string }): Promise<UserRecord | null> {
    const user = await this.meta.getUser(userId)
    if (!user || (user.tenantId !== actor.tenantId && !actor.platformAdmin)) return null
    if (user.platformAdmin && !actor.platformAdmin) throw new ForbiddenError('only a platform administrator may change a platform administrator')
    return this.meta.updateUser(userId, { role: patch.role, passwordHash: patch.password === undefined ? undefined : await hashPassword(patch.password) })
  }

  /**
   * Deletes a user on behalf of `actor`. Platform administrators can only be deleted by
   * another platform administrator, and the last one never.
   */
  async deleteUser(actor: Principal, userId: string): Promise<boolean> {
    const user = await this.meta.getUser(userId)
    if (!user || (user.tenantId !== actor.tenantId && !actor.platformAdmin)) return false
    if (user.platformAdmin) {
      if (!actor.platformAdmin) throw new ForbiddenError('only a platform administrator may delete a platform administrator')
      const admins = (await this.meta.listUsers()).filter((u) => u.platformAdmin)
      if (admins.length <= 1) throw new ForbiddenError('this is the last platform administrator; create another one first')
    }
    this.userSeen.delete(userId)
    return this.meta.deleteUser(userId)
  }

  /** Verifies an API key (`prg_<id>_<secret>`). */
  async authenticateApiKey(key: string): Promise<Principal> {
    const parsed = parseApiKey(key)
    if (!parsed) throw new InvalidTokenError('malformed API key: expected prg_<id>_<secret>')
    let entry = this.keyCache.get(parsed.id)
    if (!entry || entry.until < this.now()) {
      const record = await this.meta.getApiKey(parsed.id)
      if (!record) throw new InvalidTokenError()
      entry = { record, hash: record.secretHash, until: this.now() + API_KEY_CACHE_MS }
      this.keyCache.set(parsed.id, entry)
    }
    const given = Buffer.from(sha256(parsed.secret), 'hex')
    const expected = Buffer.from(entry.hash, 'hex')
    if (entry.record.revokedAt !== null || given.length !== expected.length || !timingSafeEqual(given, expected)) throw new InvalidTokenError()
    return { kind: 'apiKey', id: entry.record.id, name: entry.record.name, tenantId: entry.record.tenantId, role: entry.record.role, platformAdmin: false }
  }

  /** Creates an API key; the plain key is returned once and never stored. */
  async createApiKey(tenantId: string, name: string, role: Role): Promise<{ key: string; record: ApiKeyRecord }> {
    const id = `k${randomBytes(6).toString('hex')}`
    const secret = randomBytes(24).toString('base64url')
    const record = await this.meta.createApiKey({ id, tenantId, name, role, secretHash: sha256(secret) })
    return { key: `${API_KEY_PREFIX}_${id}_${secret}`, record }
  }

  async revokeApiKey(id: string, tenantId?: string): Promise<boolean> {
    this.keyCache.delete(id)
    return this.meta.revokeApiKey(id, tenantId)
  }

  async createUser(input: { tenantId: string; username: string; password: string; role: Role; platformAdmin?: boolean }): Promise<UserRecord> {
    return this.meta.createUser({
      id: randomUUID(),
      tenantId: input.tenantId,
      username: input.username,
      passwordHash: await hashPassword(input.password),
      role: input.role,
      platformAdmin: input.platformAdmin ?? false,
    })
  }

  async setPassword(userId: string, password: string): Promise<UserRecord | null> {
    return this.meta.updateUser(userId, { passwordHash: await hashPassword(password) })
  }
}
