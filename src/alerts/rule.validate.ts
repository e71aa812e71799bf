/**
 * Turning what a user wrote (API body, YAML entry) into a Rule, or saying, field by field,
 * why it cannot work: unknown channel, impossible thresholds, bad durations.
 */
import { parse as parseYaml } from 'yaml'
import { PREDICTION_KINDS, RULE_KINDS, type Direction, type Rule, type RuleKind, type RuleScope } from './alert.types.js'
import { InvalidRuleError, RulesFileError, type RuleProblem } from './errors.js'

/** A rule as written by a user. Durations are seconds or strings like `90s`, `5m`, `2h`, `1h30m`, `1d`. */
export interface RuleInput {
  id?: string
  name?: string
  kind?: string
  scope?: { assetId?: string; assetType?: string; siteId?: string } | 'tenant'
  enabled?: boolean
  target?: string
  direction?: string
  warning?: number
  critical?: number
  hysteresis?: number
  for?: number | string
  window?: number | string
  stale?: number | string
  withinHours?: number
  escalateAfter?: number | string
  escalateChannelIds?: string[]
  source?: string
  template?: string
}

/** What validation may check against: null when it cannot know (then it does not refuse). */
export interface RuleContext {
  /** Channel names of the assets in the rule's scope (union), or null when the scope has no asset yet. */
  channelsInScope(scope: RuleScope): Set<string> | null
  /** Whether a notification channel id exists in the tenant. */
  channelExists(id: string): boolean
  /** Whether the asset / site exists (asset and site scopes). */
  assetExists(id: string): boolean
  siteExists(id: string): boolean
}

const UNITS_SEC: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86400 }

/**
 * Seconds in a duration: a number of seconds, or `90s`, `5m`, `2h`, `1h30m`, `1d`, `500ms`.
 * Null when it is not one (negative, not finite, unknown unit).
 *
 * @example parseDurationSec('1h30m') // 5400
 */
export function parseDurationSec(v: unknown): number | null {
  if (typeof v === 'number') return Number.isFinite(v) && v >= 0 ? v : null
  if (typeof v !== 'string') return null
  const s = v.trim()
  if (/^\d+(\.\d+)?$/.test(s)) return Number(s)
  const re = /(\d+(?:\.\d+)?)(ms|s|m|h|d)/gy
  let total = 0
  let m: RegExpExecArray | null
  let consumed = 0
  while ((m = re.exec(s)) !== null) {
    total += Number(m[1]) * UNITS_SEC[m[2]!]!
    consumed = re.lastIndex
  }
  return consumed === s.length && s.length > 0 ? total : null
}

/** Default levels, direction and hysteresis of the prediction-based kinds (what the issue asks for). */
export const KIND_DEFAULTS: Partial<Record<RuleKind, { direction: Direction; warning?: number; critical?: number; hysteresis: number }>> = {
  anomaly_score: { direction: 'above', warning: 0.8, critical: 0.95, hysteresis: 0.05 },
  health: { direction: 'below', warning: 0.7, critical: 0.4, hysteresis: 0.05 },
  rul: { direction: 'below', warning: 72, critical: 24, hysteresis: 6 },
  drift: { direction: 'above', warning: 0.2, critical: 0.5, hysteresis: 0.05 },
  model_error: { direction: 'above', warning: 1, hysteresis: 0 },
}

/** The prediction kind each prediction-based rule kind listens to. */
export const PREDICTION_KIND_OF: Partial<Record<RuleKind, string>> = {
  anomaly_score: PREDICTION_KINDS.anomalyScore,
  health: PREDICTION_KINDS.health,
  rul: PREDICTION_KINDS.rulHours,
  forecast: PREDICTION_KINDS.forecast,
  drift: PREDICTION_KINDS.drift,
  model_error: PREDICTION_KINDS.modelError,
}

/** The channel a target names: `temp` for `temp`, and for a feature `temp.w60.mean` too. */
export function channelOfTarget(target: string): string {
  const m = /^(.+)\.w\d+\.[a-z_.0-9]+$/.exec(target)
  return m ? m[1]! : target
}

/** True when a target names a feature (`<channel>.w<sec>.<stat>`) rather than a raw channel. */
export const isFeatureTarget = (target: string): boolean => /^.+\.w\d+\.[a-z_.0-9]+$/.test(target)

const DEFAULT_MODEL_ERROR_CLEAR_SEC = 600
const DEFAULT_RATE_WINDOW_SEC = 60
const DEFAULT_FORECAST_WITHIN_HOURS = 24

function toScope(s: RuleInput['scope'], problems: RuleProblem[]): RuleScope {
  if (s === undefined || s === 'tenant') return { kind: 'tenant' }
  if (typeof s !== 'object' || s === null) {
    problems.push({ field: 'scope', reason: "must be 'tenant' or one of {assetId}, {assetType}, {siteId}" })
    return { kind: 'tenant' }
  }
  const given = (['assetId', 'assetType', 'siteId'] as const).filter((k) => s[k] !== undefined)
  if (given.length > 1) problems.push({ field: 'scope', reason: `give one of assetId, assetType, siteId, not ${given.join(' and ')}` })
  for (const k of given) if (typeof s[k] !== 'string' || s[k] === '') problems.push({ field: `scope.${k}`, reason: 'must be a non-empty string' })
  if (s.assetId !== undefined) return { kind: 'asset', assetId: String(s.assetId) }
  if (s.assetType !== undefined) return { kind: 'asset_type', assetType: String(s.assetType) }
  if (s.siteId !== undefined) return { kind: 'site', siteId: String(s.siteId) }
  return { kind: 'tenant' }
}

/** The scope as users write it (the inverse of toScope). */
export function scopeInput(scope: RuleScope): RuleInput['scope'] {
  switch (scope.kind) {
    case 'asset':
      return { assetId: scope.assetId }
    case 'asset_type':
      return { assetType: scope.assetType }
    case 'site':
      return { siteId: scope.siteId }
    case 'tenant':
      return 'tenant'
  }
}

const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v)

/**
 * Validates a rule input and builds the Rule. Throws InvalidRuleError listing every
 * problem with its field.
 *
 * @example
 * const rule = buildRule({ name: 'hot cell', kind: 'threshold', scope: { assetType: 'battery_cell' }, target: 'temperature', warning: 40, critical: 55, for: '30s' }, ctx, { id: 'r1', tenantId: 't', now: Date.now() })
 */
export function buildRule(input: RuleInput, ctx: RuleContext, meta: { id: string; tenantId: string; now: number; createdAt?: number }): Rule {
  const problems: RuleProblem[] = []
  if (typeof input !== 'object' || input === null) throw new InvalidRuleError([{ field: '(body)', reason: 'must be an object' }])
  const kind = input.kind as RuleKind
  if (!RULE_KINDS.includes(kind)) {
    throw new InvalidRuleError([{ field: 'kind', reason: `must be one of ${RULE_KINDS.join(', ')}` }])
  }
  const name = typeof input.name === 'string' && input.name.trim() !== '' ? input.name.trim() : null
  if (input.name !== undefined && name === null) problems.push({ field: 'name', reason: 'must be a non-empty string' })
  const scope = toScope(input.scope, problems)
  if (scope.kind === 'asset' && !ctx.assetExists(scope.assetId)) problems.push({ field: 'scope.assetId', reason: `unknown asset '${scope.assetId}'` })
  if (scope.kind === 'site' && !ctx.siteExists(scope.siteId)) problems.push({ field: 'scope.siteId', reason: `unknown site '${scope.siteId}'` })

  const dflt = KIND_DEFAULTS[kind]
  let direction: Direction = dflt?.direction ?? 'above'
  if (input.direction !== undefined) {
    if (input.direction === 'above' || input.direction === 'below') direction = input.direction
    else problems.push({ field: 'direction', reason: "must be 'above' or 'below'" })
  }
  const num = (field: 'warning' | 'critical' | 'hysteresis' | 'withinHours'): number | undefined => {
    const v = input[field]
    if (v === undefined || v === null) return undefined
    if (!finite(v)) {
      problems.push({ field, reason: 'must be a finite number' })
      return undefined
    }
    return v
  }
  let warning = num('warning')
  let critical = num('critical')
  const explicitLevels = warning !== undefined || critical !== undefined
  if (!explicitLevels && dflt) {
    warning = dflt.warning
    critical = dflt.critical
  }
  const hysteresis = num('hysteresis') ?? dflt?.hysteresis ?? 0
  if (hysteresis < 0) problems.push({ field: 'hysteresis', reason: 'must be 0 or more' })

  const dur = (field: 'for' | 'window' | 'stale' | 'escalateAfter'): number | undefined => {
    const v = input[field]
    if (v === undefined || v === null) return undefined
    const sec = parseDurationSec(v)
    if (sec === null) problems.push({ field, reason: `'${String(v)}' is not a duration: use seconds or e.g. 30s, 5m, 2h, 1h30m, 1d` })
    return sec ?? undefined
  }
  const forSec = dur('for') ?? 0
  let windowSec = dur('window')
  let staleSec = dur('stale')
  const escalateAfterSec = dur('escalateAfter') ?? 0

  const target = input.target
  const needsTarget = kind === 'threshold' || kind === 'rate_of_change' || kind === 'staleness'
  if (needsTarget && (typeof target !== 'string' || target === '')) problems.push({ field: 'target', reason: `a ${kind} rule needs the channel or feature it watches` })
  if (typeof target === 'string' && target !== '') {
    const known = ctx.channelsInScope(scope)
    const ch = channelOfTarget(target)
    if (known && !known.has(ch)) problems.push({ field: 'target', reason: `unknown channel '${ch}' for this scope (known: ${[...known].sort().slice(0, 20).join(', ')})` })
  }

  switch (kind) {
    case 'staleness':
      if (staleSec === undefined) staleSec = warning
      if (staleSec === undefined || staleSec <= 0) problems.push({ field: 'stale', reason: 'a staleness rule needs how long without data (e.g. 2m), more than 0' })
      else {
        warning = staleSec
        if (critical !== undefined && critical <= staleSec) problems.push({ field: 'critical', reason: `must be longer than stale (${staleSec} s)` })
      }
      direction = 'above'
      break
    case 'rate_of_change':
      windowSec ??= DEFAULT_RATE_WINDOW_SEC
      if (windowSec <= 0) problems.push({ field: 'window', reason: 'must be more than 0' })
      if ((warning !== undefined && warning < 0) || (critical !== undefined && critical < 0)) problems.push({ field: warning !== undefined && warning < 0 ? 'warning' : 'critical', reason: 'a rate is measured as an absolute value: use 0 or more' })
      break
    case 'health':
      for (const [f, v] of [['warning', warning], ['critical', critical]] as const) if (v !== undefined && (v < 0 || v > 1)) problems.push({ field: f, reason: 'a health index is between 0 and 1' })
      break
    case 'rul':
      for (const [f, v] of [['warning', warning], ['critical', critical]] as const) if (v !== undefined && v < 0) problems.push({ field: f, reason: 'remaining useful life is 0 hours or more' })
      break
    case 'model_error':
      staleSec ??= DEFAULT_MODEL_ERROR_CLEAR_SEC
      break
    case 'forecast':
      if (num('withinHours') !== undefined && input.withinHours! <= 0) problems.push({ field: 'withinHours', reason: 'must be more than 0' })
      break
    case 'threshold':
    case 'anomaly_score':
    case 'drift':
      break
  }
  if (warning === undefined && critical === undefined && kind !== 'staleness') problems.push({ field: 'warning', reason: 'give a warning or a critical level (or both)' })
  if (warning !== undefined && critical !== undefined) {
    if (direction === 'above' && critical < warning) problems.push({ field: 'critical', reason: `with direction 'above' the critical level (${critical}) must be at or above the warning level (${warning})` })
    if (direction === 'below' && critical > warning) problems.push({ field: 'critical', reason: `with direction 'below' the critical level (${critical}) must be at or below the warning level (${warning})` })
  }
  for (const id of input.escalateChannelIds ?? []) if (!ctx.channelExists(id)) problems.push({ field: 'escalateChannelIds', reason: `unknown notification channel '${id}'` })
  if (input.template !== undefined && (typeof input.template !== 'string' || input.template.length > 4000)) problems.push({ field: 'template', reason: 'must be a string of at most 4000 characters' })
  if (problems.length > 0) throw new InvalidRuleError(problems)

  const rule: Rule = {
    id: meta.id,
    tenantId: meta.tenantId,
    name: name ?? `${kind}${target ? ` ${target}` : ''}`,
    kind,
    scope,
    enabled: input.enabled ?? true,
    direction,
    hysteresis,
    forSec,
    escalateAfterMin: escalateAfterSec / 60,
    escalateChannelIds: input.escalateChannelIds ?? [],
    createdAt: meta.createdAt ?? meta.now,
    updatedAt: meta.now,
  }
  if (target) rule.target = target
  if (warning !== undefined) rule.warning = warning
  if (critical !== undefined) rule.critical = critical
  if (windowSec !== undefined && kind === 'rate_of_change') rule.windowSec = windowSec
  if (staleSec !== undefined && (kind === 'staleness' || kind === 'model_error')) rule.staleSec = staleSec
  if (kind === 'forecast') rule.withinHours = input.withinHours ?? DEFAULT_FORECAST_WITHIN_HOURS
  if (input.source) rule.source = input.source
  if (input.template) rule.template = input.template
  return rule
}

/** The input that rebuilds a rule (for export to YAML and for updates). */
export function ruleToInput(r: Rule): RuleInput {
  const out: RuleInput = { id: r.id, name: r.name, kind: r.kind, scope: scopeInput(r.scope), enabled: r.enabled, direction: r.direction, hysteresis: r.hysteresis, for: r.forSec }
  if (r.target !== undefined) out.target = r.target
  if (r.warning !== undefined && r.kind !== 'staleness') out.warning = r.warning
  if (r.critical !== undefined) out.critical = r.critical
  if (r.windowSec !== undefined) out.window = r.windowSec
  if (r.staleSec !== undefined) out.stale = r.staleSec
  if (r.withinHours !== undefined) out.withinHours = r.withinHours
  if (r.escalateAfterMin > 0) out.escalateAfter = r.escalateAfterMin * 60
  if (r.escalateChannelIds.length > 0) out.escalateChannelIds = r.escalateChannelIds
  if (r.source !== undefined) out.source = r.source
  if (r.template !== undefined) out.template = r.template
  return out
}

/**
 * Reads a rules file: a YAML list of rules, or `{rules: [...]}`.
 *
 * @example
 * parseRulesYaml('rules:\n  - name: hot cell\n    kind: threshold\n    scope: {assetType: battery_cell}\n    target: temperature\n    warning: 40\n')
 */
export function parseRulesYaml(text: string): RuleInput[] {
  let doc: unknown
  try {
    doc = parseYaml(text)
  } catch (err) {
    throw new RulesFileError('(file)', `not YAML: ${(err as Error).message.split('\n')[0]}`, { cause: err })
  }
  const list = Array.isArray(doc) ? doc : typeof doc === 'object' && doc !== null && Array.isArray((doc as { rules?: unknown }).rules) ? (doc as { rules: unknown[] }).rules : null
  if (!list) throw new RulesFileError('rules', 'a rules file is a list of rules, or a mapping with a `rules` list')
  list.forEach((r, i) => {
    if (typeof r !== 'object' || r === null || Array.isArray(r)) throw new RulesFileError(`rules.${i}`, `rules.${i}: each rule is a mapping`)
  })
  return list as RuleInput[]
}
