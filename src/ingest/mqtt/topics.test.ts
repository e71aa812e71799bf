import { describe, expect, it } from 'vitest'
import { endsInTelemetry, errorTopic, isValidTopicRoot, parseTelemetryTopic, telemetryFilter, telemetryTopic } from './topics.js'

describe('parseTelemetryTopic', () => {
  it.each([
    ['prognos/lyon/pump-1/telemetry', 'prognos', { siteId: 'lyon', assetId: 'pump-1' }],
    ['prognos/-/pump-1/telemetry', 'prognos', { siteId: null, assetId: 'pump-1' }],
    ['acme/prognos/lyon/p.1:a/telemetry', 'acme/prognos', { siteId: 'lyon', assetId: 'p.1:a' }],
    ['prognos/lyon/pump-1/telemetry/x', 'prognos', null],
    ['prognos/lyon/pump-1/status', 'prognos', null],
    ['prognos/lyon/telemetry', 'prognos', null],
    ['prognosx/lyon/pump-1/telemetry', 'prognos', null],
    ['prognos//pump-1/telemetry', 'prognos', null],
    ['prognos/lyon/_bad/telemetry', 'prognos', null],
    ['prognos/_/pump-1/telemetry', 'prognos', null],
    ['other/lyon/pump-1/telemetry', 'prognos', null],
    ['$SYS/lyon/pump-1/telemetry', 'prognos', null],
  ])('%s under %s', (topic, root, expected) => {
    expect(parseTelemetryTopic(topic, root)).toEqual(expected)
  })

  it('round-trips with telemetryTopic', () => {
    expect(parseTelemetryTopic(telemetryTopic(null, 'a1'))).toEqual({ siteId: null, assetId: 'a1' })
    expect(parseTelemetryTopic(telemetryTopic('s', 'a1', 'r/x'), 'r/x')).toEqual({ siteId: 's', assetId: 'a1' })
  })

  it('names the filter and error topics', () => {
    expect(telemetryFilter()).toBe('prognos/+/+/telemetry')
    expect(errorTopic('default')).toBe('prognos/default/errors')
  })

  it('tells telemetry from error topics without parsing', () => {
    expect(endsInTelemetry(telemetryTopic('lyon', 'pump-1'))).toBe(true)
    expect(endsInTelemetry(errorTopic('default'))).toBe(false)
    expect(endsInTelemetry('prognosx/lyon/pump-1/telemetry')).toBe(false)
    expect(endsInTelemetry('other/lyon/pump-1/telemetry')).toBe(false)
    expect(endsInTelemetry('acme/prognos/lyon/p1/telemetry', 'acme/prognos')).toBe(true)
  })
})

describe('isValidTopicRoot', () => {
  it.each([
    ['prognos', true],
    ['a/b', true],
    ['', false],
    ['a//b', false],
    ['a/+', false],
    ['#', false],
    ['$SYS', false],
    ['a/', false],
  ])('%j → %s', (root, ok) => {
    expect(isValidTopicRoot(root)).toBe(ok)
  })
})
