import { DEFAULT_POLICIES, policiesFromEnv } from '../../../shared/operations/deps';
import {
  refreshAfterWait,
  slotMs,
  versionBackoff,
  type VersionBackoffPolicy,
  type VersionConflictSeen,
} from '../../../shared/operations/versionBackoff';

const policy: VersionBackoffPolicy = {
  maxAttempts: 64,
  baseDelayMs: 2,
  maxDelayMs: 1000,
  agingMs: 300,
  startSlots: 64,
  minSlots: 16,
  rereadGaps: 0,
};
const seen = (over: Partial<VersionConflictSeen> = {}): VersionConflictSeen => ({
  roundTripMs: 5,
  ageMs: 0,
  keptThroughWait: false,
  racesLost: 1,
  ...over,
});
/** The widest wait a draw can give (random() just below 1). */
const most = (over: Partial<VersionConflictSeen> = {}) => versionBackoff(policy, seen(over), () => 0.999999);

describe('versionBackoff', () => {
  it('counts in round trips of the CAS that lost: a slower item waits in longer slots', () => {
    // 64 slots after the first race lost.
    expect(most({ roundTripMs: 5 })).toBeCloseTo(320, 0);
    expect(most({ roundTripMs: 10 })).toBeCloseTo(640, 0);
  });

  it('never counts in slots below baseDelayMs, even when the round trip was faster than the clock ticks', () => {
    expect(slotMs(policy, { roundTripMs: 0 })).toBe(2);
    expect(most({ roundTripMs: 0 })).toBeCloseTo(128, 0);
  });

  it('doubles the window for each further race lost, up to the cap', () => {
    expect(most({ roundTripMs: 2, racesLost: 2 })).toBeCloseTo(256, 0);
    expect(most({ roundTripMs: 2, racesLost: 3 })).toBeCloseTo(512, 0);
    expect(most({ roundTripMs: 2, racesLost: 4 })).toBeCloseTo(1000, 0);
    expect(most({ roundTripMs: 2, racesLost: 60 })).toBeCloseTo(1000, 0);
  });

  it('lets a request that has waited longer back off less (fairness, and the p99)', () => {
    const young = most({ racesLost: 2, ageMs: 100 });
    expect(young).toBeCloseTo(640, 0);
    expect(most({ racesLost: 2, ageMs: 600 })).toBeCloseTo(young / 2, 0);
    expect(most({ racesLost: 2, ageMs: 1200 })).toBeCloseTo(young / 4, 0);
  });

  it('never shrinks below minSlots slots, or a crowd of old requests would storm the item', () => {
    expect(most({ ageMs: 60_000 })).toBeCloseTo(16 * 5, 0);
    // ...nor past the cap when the slots are long.
    expect(most({ ageMs: 60_000, roundTripMs: 200 })).toBeCloseTo(1000, 0);
  });

  it('draws full jitter between 0 and the window', () => {
    expect(versionBackoff(policy, seen(), () => 0)).toBe(0);
    expect(versionBackoff(policy, seen(), () => 0.5)).toBeCloseTo(160, 5);
  });

  it('runs the race again at once when the snapshot had aged through a wait: its conflict was the re-read', () => {
    expect(most({ keptThroughWait: true, racesLost: 2, ageMs: 100 })).toBe(0);
  });

  it('has defaults whose longest single wait stays at the 1 s the p99 is measured against', () => {
    expect(DEFAULT_POLICIES.version.maxDelayMs).toBeLessThanOrEqual(1000);
    expect(DEFAULT_POLICIES.version.minSlots).toBeLessThanOrEqual(DEFAULT_POLICIES.version.startSlots);
  });

  it('refreshes a kept snapshot by a read only after a wait of rereadGaps write gaps, and never when 0 or unmeasured', () => {
    const reading = { ...policy, rereadGaps: 2 };
    expect(refreshAfterWait(reading, 10, 20)).toBe(true);
    expect(refreshAfterWait(reading, 10, 19)).toBe(false);
    expect(refreshAfterWait(reading, 10, 0)).toBe(false);
    expect(refreshAfterWait(reading, undefined, 500)).toBe(false);
    expect(refreshAfterWait(policy, 10, 500)).toBe(false);
  });

  it('reads the re-read threshold from the environment, where 0 (always the CAS) is a value and junk is not', () => {
    expect(policiesFromEnv({}).version.rereadGaps).toBe(DEFAULT_POLICIES.version.rereadGaps);
    expect(policiesFromEnv({ LOCKLESS_VERSION_REREAD_GAPS: '0' }).version.rereadGaps).toBe(0);
    expect(policiesFromEnv({ LOCKLESS_VERSION_REREAD_GAPS: '5' }).version.rereadGaps).toBe(5);
    expect(policiesFromEnv({ LOCKLESS_VERSION_REREAD_GAPS: '' }).version.rereadGaps).toBe(DEFAULT_POLICIES.version.rereadGaps);
    expect(policiesFromEnv({ LOCKLESS_VERSION_REREAD_GAPS: '-1' }).version.rereadGaps).toBe(DEFAULT_POLICIES.version.rereadGaps);
    // The other knobs still refuse 0.
    expect(policiesFromEnv({ LOCKLESS_VERSION_START_SLOTS: '0' }).version.startSlots).toBe(DEFAULT_POLICIES.version.startSlots);
  });
});
