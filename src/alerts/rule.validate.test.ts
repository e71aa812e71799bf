import { describe, expect, it } from 'vitest'
import { InvalidRuleError } from './errors.js'
import { buildRule, channelOfTarget, parseDurationSec, parseRulesYaml, ruleToInput, type RuleContext } from './rule.validate.js'
import { DEFAULT_RULES } from './defaults.js'

const ctx: RuleContext = { channelsInScope: (s) => (s.kind === 'asset_type' ? new Set(['temperature', 'voltage']) : null), channelExists: (id) => id === 'ch1', assetExists: () => true, siteExists: () => true }
const meta = { id: 'r', tenantId: 't', now: 5 }
const problems = (input: Parameters<typeof buildRule>[0]): string[] => {
  try {
    buildRule(input, ctx, meta)
    return []
  } catch (err) {
    return (err as InvalidRuleError).details.map((d) => `${d.field}: ${d.reason}`)
  }
}

describe('parseDurationSec', () => {
  it.each([
    [90, 90],
    ['90', 90],
    ['30s', 30],
    ['5m', 300],
    ['1h30m', 5400],
    ['1d', 86400],
    ['500ms', 0.5],
    ['5 minutes', null],
    ['-1m', null],
    [-3, null],
    ['', null],
    [Infinity, null],
  ] as const)('%s → %s', (v, want) => expect(parseDurationSec(v)).toBe(want))
})

describe('buildRule', () => {
  it('fills the prediction kinds’ defaults (health 0.7/0.4, RUL 72/24 h)', () => {
    expect(buildRule({ kind: 'health' }, ctx, meta)).toMatchObject({ direction: 'below', warning: 0.7, critical: 0.4 })
    expect(buildRule({ kind: 'rul' }, ctx, meta)).toMatchObject({ direction: 'below', warning: 72, critical: 24 })
    expect(buildRule({ kind: 'forecast', target: 't50', warning: 1430 }, ctx, meta)).toMatchObject({ withinHours: 24 })
  })
  it('names every problem with its field', () => {
    expect(problems({ kind: 'threshold', scope: { assetType: 'battery_cell' }, target: 'pressure', warning: 1 })).toEqual([expect.stringMatching(/^target: unknown channel 'pressure'/)])
    expect(problems({ kind: 'threshold', scope: { assetType: 'battery_cell' }, target: 'temperature.w60.mean', warning: 50, critical: 40 })).toEqual([expect.stringMatching(/^critical: with direction 'above'/)])
    expect(problems({ kind: 'threshold', target: 'x', direction: 'below', warning: 1, critical: 2 })).toEqual([expect.stringMatching(/^critical: with direction 'below'/)])
    expect(problems({ kind: 'threshold', target: 'x' })).toEqual(['warning: give a warning or a critical level (or both)'])
    expect(problems({ kind: 'threshold', target: 'x', warning: 1, for: 'soon', hysteresis: -1 })).toEqual(['hysteresis: must be 0 or more', expect.stringMatching(/^for: 'soon' is not a duration/)])
    expect(problems({ kind: 'staleness', target: 'x' })).toEqual([expect.stringMatching(/^stale:/)])
    expect(problems({ kind: 'rul', warning: -1 })).toEqual(['warning: remaining useful life is 0 hours or more'])
    expect(problems({ kind: 'threshold', target: 'x', warning: 1, escalateChannelIds: ['nope'] })).toEqual(["escalateChannelIds: unknown notification channel 'nope'"])
    expect(problems({ kind: 'threshold', target: 'x', warning: 1, scope: { assetId: 'a', siteId: 's' } })).toEqual(['scope: give one of assetId, assetType, siteId, not assetId and siteId'])
  })
  it('round-trips through its input form', () => {
    const r = buildRule({ name: 'hot', kind: 'threshold', scope: { siteId: 'lyon' }, target: 'temp', warning: 40, critical: 50, hysteresis: 2, for: '30s', escalateAfter: '15m' }, ctx, meta)
    expect(buildRule(ruleToInput(r), ctx, meta)).toEqual(r)
  })
  it('accepts every default rule', () => {
    for (const d of DEFAULT_RULES) expect(() => buildRule(d.input, { ...ctx, channelsInScope: () => null }, { ...meta, id: d.id })).not.toThrow()
  })
})

describe('parseRulesYaml and targets', () => {
  it('reads a list or {rules: [...]}, and refuses anything else', () => {
    expect(parseRulesYaml('- {kind: health}\n')).toEqual([{ kind: 'health' }])
    expect(parseRulesYaml('rules:\n  - kind: rul\n    scope: {siteId: lyon}\n')).toEqual([{ kind: 'rul', scope: { siteId: 'lyon' } }])
    expect(() => parseRulesYaml('kind: health')).toThrow(/a rules file is a list/)
    expect(() => parseRulesYaml('rules: [')).toThrow(/not YAML/)
    expect(() => parseRulesYaml('- 3')).toThrow(/rules.0: each rule is a mapping/)
  })
  it('finds the channel of a feature target', () => {
    expect(channelOfTarget('temp.w60.mean')).toBe('temp')
    expect(channelOfTarget('vib.w10.fft.dominant_hz')).toBe('vib')
    expect(channelOfTarget('internal_resistance')).toBe('internal_resistance')
  })
})
