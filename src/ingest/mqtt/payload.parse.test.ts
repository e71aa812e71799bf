import { describe, expect, it } from 'vitest'
import { MqttPayloadMalformedError, MqttPayloadNotJsonError, MqttPayloadTooLargeError } from './errors.js'
import { parseTelemetryPayload } from './payload.parse.js'

describe('parseTelemetryPayload', () => {
  it('takes one record and sets the asset from the topic', () => {
    expect(parseTelemetryPayload('{"ts":1,"values":{"t":2}}', 'p1', 10)).toEqual({ records: [{ ts: 1, values: { t: 2 }, asset: 'p1' }], index: [0], refused: [], total: 1 })
  })

  it('takes one record naming its own asset, and refuses one naming another', () => {
    expect(parseTelemetryPayload('{"asset":"p1","ts":1,"values":{"t":2}}', 'p1', 10)).toEqual({ records: [{ asset: 'p1', ts: 1, values: { t: 2 } }], index: [0], refused: [], total: 1 })
    expect(parseTelemetryPayload('{"asset":"p2","ts":1,"values":{"t":2}}', 'p1', 10)).toEqual({ records: [], index: [], refused: [{ index: 0, field: 'asset', reason: expect.stringContaining("must be 'p1'") }], total: 1 })
  })

  it('takes {"records": [...]}, keeps a matching asset and refuses another one', () => {
    const p = parseTelemetryPayload('{"records":[{"ts":1,"values":{"t":1}},{"asset":"p2","ts":2,"values":{"t":2}},{"asset":"p1","ts":3,"values":{"t":3}},7]}', 'p1', 10)
    expect(p.records).toEqual([{ ts: 1, values: { t: 1 }, asset: 'p1' }, { asset: 'p1', ts: 3, values: { t: 3 } }, 7])
    expect(p.index).toEqual([0, 2, 3])
    expect(p.refused).toEqual([{ index: 1, field: 'asset', reason: expect.stringContaining("must be 'p1'") }])
    expect(p.total).toBe(4)
  })

  it('keeps unknown fields so that ingest refuses them', () => {
    expect(parseTelemetryPayload('{"ts":1,"values":{"t":2},"__proto__":{"x":1}}', 'p1', 10).records[0]).toHaveProperty('__proto__')
  })

  it.each([
    ['not json', 'nope', MqttPayloadNotJsonError],
    ['empty', '', MqttPayloadNotJsonError],
    ['an array', '[1,2]', MqttPayloadMalformedError],
    ['a number', '42', MqttPayloadMalformedError],
    ['null', 'null', MqttPayloadMalformedError],
    ['records not an array', '{"records":{}}', MqttPayloadMalformedError],
    ['too many records', '{"records":[{},{},{}]}', MqttPayloadTooLargeError],
  ])('throws for %s', (_name, text, cls) => {
    expect(() => parseTelemetryPayload(text, 'p1', 2)).toThrow(cls)
  })
})
