import { DEFAULT_POLICIES } from '../../../shared/operations/deps';
import { rereadAfterWait, versionBackoff, type VersionBackoffPolicy } from '../../../shared/operations/versionBackoff';

const policy: VersionBackoffPolicy = { maxAttempts: 64, baseDelayMs: 2, maxDelayMs: 400, agingMs: 300 };
/** The largest wait a draw can give (random() just below 1) after `racesLost` races lost on fresh snapshots. */
const most = (racesLost: number, moved: number, overMs: number, ageMs = 0) =>
  versionBackoff(policy, { moved, overMs, ageMs, keptThroughWait: false, racesLost }, () => 0.999999);

describe('versionBackoff', () => {
  it('counts in gaps between the writes the purchase saw: a busier item waits in shorter steps', () => {
    // 1 write in 20 ms: gap 20 ms; 10 writes in 20 ms: gap 2 ms. After one loss, up to 2 gaps.
    expect(most(1, 1, 20)).toBeCloseTo(40, 0);
    expect(most(1, 10, 20)).toBeCloseTo(4, 0);
  });

  it('presumes twice as many contenders ahead after each further race lost, up to the cap', () => {
    expect(most(2, 1, 10)).toBeCloseTo(40, 0);
    expect(most(3, 1, 10)).toBeCloseTo(80, 0);
    expect(most(8, 1, 10)).toBeCloseTo(400, 0);
    expect(most(40, 1, 10)).toBeCloseTo(400, 0);
  });

  it('never counts in steps below baseDelayMs, even when writes came faster than the clock ticks', () => {
    expect(most(1, 5, 0)).toBeCloseTo(4, 0);
  });

  it('lets a request that has waited longer back off less (fairness, and the p99)', () => {
    const young = most(6, 1, 10, 100);
    expect(young).toBeCloseTo(400, 0);
    expect(most(6, 1, 10, 600)).toBeCloseTo(young / 2, 0);
    expect(most(6, 1, 10, 1200)).toBeCloseTo(young / 4, 0);
    // ...but never below one gap, or a crowd of old requests would storm the item.
    expect(most(6, 1, 10, 60_000)).toBeCloseTo(10, 0);
  });

  it('draws full jitter between 0 and the ceiling', () => {
    const seen = { moved: 1, overMs: 10, ageMs: 0, keptThroughWait: false, racesLost: 3 };
    expect(versionBackoff(policy, seen, () => 0)).toBe(0);
    expect(versionBackoff(policy, seen, () => 0.5)).toBeCloseTo(40, 5);
  });

  it('runs the race again at once when the snapshot had aged through a wait: its conflict was the re-read', () => {
    expect(versionBackoff(policy, { moved: 3, overMs: 60, ageMs: 100, keptThroughWait: true, racesLost: 2 }, () => 0.999999)).toBe(0);
  });

  it('reads the snapshot again only after a wait longer than the gap', () => {
    const seen = { moved: 2, overMs: 40, ageMs: 40, keptThroughWait: false, racesLost: 1 };
    expect(rereadAfterWait(policy, seen, 20)).toBe(false);
    expect(rereadAfterWait(policy, seen, 21)).toBe(true);
  });

  it('has defaults whose longest wait stays well inside the 1 s p99 it is tuned for', () => {
    expect(DEFAULT_POLICIES.version.maxDelayMs).toBeLessThan(1000);
    expect(DEFAULT_POLICIES.version.agingMs).toBeLessThan(1000);
  });
});
