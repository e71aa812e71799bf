import { describe, expect, it } from 'vitest'
import { telemetryRouting } from './routing.js'

describe('telemetryRouting', () => {
  it('finds nobody for telemetry at once, and routes every other topic as before', async () => {
    const { persistence, mq } = telemetryRouting('prognos')
    const heard: string[] = []
    // A listener that matches everything: only the shortcut can keep telemetry from it.
    await new Promise<void>((resolve) => mq.on('#', (m: { topic: string }, cb: () => void) => (heard.push(m.topic), cb()), resolve))
    const emitted = (topic: string): Promise<void> => new Promise((resolve) => mq.emit({ topic, payload: 'x' }, () => resolve()))
    await emitted('prognos/s1/a1/telemetry')
    await emitted('prognos/default/errors')
    await emitted('other/s1/a1/telemetry')
    expect(heard).toEqual(['prognos/default/errors', 'other/s1/a1/telemetry'])

    // As aedes calls them: promises, not the callbacks of the package's types.
    const p = persistence as unknown as {
      setup(broker: unknown): Promise<void>
      addSubscriptions(client: unknown, subs: unknown[]): Promise<void>
      subscriptionsByTopic(topic: string): Promise<{ clientId: string }[]>
    }
    await p.setup({ id: 'b1' })
    await p.addSubscriptions({ id: 'dev1' }, [{ topic: '#', qos: 1 }])
    const byTopic = (topic: string) => p.subscriptionsByTopic(topic)
    expect(await byTopic('prognos/s1/a1/telemetry')).toEqual([])
    expect((await byTopic('prognos/default/errors')).map((s) => s.clientId)).toEqual(['dev1'])
  })
})
