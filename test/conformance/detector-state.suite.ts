/**
 * DetectorStateStore conformance: the same cases for every adapter. Each case opens a
 * fresh store (migration 13 with the rest).
 */
import { describe, expect, it } from 'vitest'
import type { DetectorStateRecord, Stores } from '../../src/store/ports.js'
import { freshStores } from './fresh.js'

const rec = (tenantId: string, assetId: string, ts: number, state: string, detector = 'anomaly'): DetectorStateRecord => ({
  tenantId,
  assetId,
  detector,
  ts,
  state,
  summary: JSON.stringify({ score: ts / 1e13 }),
  updatedAt: ts + 1,
})

export function runDetectorStateSuite(name: string, open: () => Promise<Stores>): void {
  describe(`${name} detector state store`, () => {
    const fresh = freshStores(open)

    it('migration 13 is applied', async () => {
      const { meta } = await fresh()
      const status = await meta.migrationStatus()
      expect(status.pending).toEqual([])
      expect(status.latest).toBeGreaterThanOrEqual(13)
    })

    it('saves and loads a state exactly, large ones included, and upserts on the same key', async () => {
      const { detectorState: s } = await fresh()
      const big = JSON.stringify({ values: Array.from({ length: 20_000 }, (_, i) => i / 7), text: 'é∑ “quoted” \\ \n' })
      await s.save([rec('t1', 'a1', 1_700_000_000_000, big), rec('t1', 'a2', 1_700_000_000_001, '{}')])
      const got = await s.load('t1', 'a1', 'anomaly')
      expect(got).toEqual(rec('t1', 'a1', 1_700_000_000_000, big))
      await s.save([rec('t1', 'a1', 1_700_000_001_000, '{"v":2}')])
      expect((await s.load('t1', 'a1', 'anomaly'))?.state).toBe('{"v":2}')
      expect((await s.load('t1', 'a1', 'anomaly'))?.ts).toBe(1_700_000_001_000)
      expect(await s.load('t1', 'a3', 'anomaly')).toBeNull()
    })

    it('keeps the last of duplicate keys in one save, and saves in batches beyond one statement', async () => {
      const { detectorState: s } = await fresh()
      const many = Array.from({ length: 250 }, (_, i) => rec('t1', `a${String(i).padStart(3, '0')}`, 1000 + i, `{"i":${i}}`))
      await s.save([...many, rec('t1', 'a007', 5, '{"last":true}')])
      const sums = await s.summaries('t1', 'anomaly')
      expect(sums).toHaveLength(250)
      expect(sums[0]!.assetId).toBe('a000')
      expect((await s.load('t1', 'a007', 'anomaly'))?.state).toBe('{"last":true}')
    })

    it('is tenant-scoped: summaries, loads and deletes never cross tenants', async () => {
      const { detectorState: s } = await fresh()
      await s.save([rec('t1', 'a1', 1, '{"t":1}'), rec('t2', 'a1', 2, '{"t":2}'), rec('t1', 'a2', 3, '{}'), rec('t1', 'a1', 4, '{}', 'other')])
      expect((await s.summaries('t1', 'anomaly')).map((r) => r.assetId)).toEqual(['a1', 'a2'])
      expect((await s.summaries('t2', 'anomaly')).map((r) => [r.assetId, r.summary])).toEqual([['a1', JSON.stringify({ score: 2 / 1e13 })]])
      expect((await s.load('t2', 'a1', 'anomaly'))?.state).toBe('{"t":2}')
      expect(await s.delete('t1', 'a1')).toBe(2)
      expect(await s.load('t2', 'a1', 'anomaly')).not.toBeNull()
      expect(await s.delete('t1')).toBe(1)
      expect(await s.summaries('t1', 'anomaly')).toEqual([])
      expect(await s.summaries('t2', 'anomaly')).toHaveLength(1)
    })

  })
}
