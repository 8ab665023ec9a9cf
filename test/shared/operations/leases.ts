/**
 * Leases on a real server: 20 concurrent acquirers give one holder; with a fake clock a paused holder's fenced
 * write is refused once a newer holder took over; a holder that crashed without releasing is replaced after its
 * TTL, never before; tokens only grow.
 */
import { ACCOUNTS } from '../../../shared/collections';
import { acquireLease, fence, releaseLease, renewLease, type Lease, type LeaseDeps } from '../../../shared/operations/leases';
import { backendFixture, type BackendFixture, type BackendName } from '../../support/stores';

export function describeLeases(backend: BackendName): void {
  describe(`leases on ${backend}`, () => {
    let fixture: BackendFixture;
    let clock: number;
    let deps: LeaseDeps;

    beforeAll(async () => {
      fixture = await backendFixture(backend, 'leases');
    });
    afterAll(async () => fixture?.cleanup());
    beforeEach(() => {
      clock = Date.UTC(2026, 11, 2, 8, 0, 0);
      deps = { store: fixture.store, now: () => clock };
    });

    it('gives a lease to exactly one of 20 concurrent acquirers', async () => {
      // Arrange: a fresh name, 20 owners. Act: all at once.
      const results = await Promise.all(Array.from({ length: 20 }, (_, i) => acquireLease(deps, 'race', `owner-${i}`, 10_000)));

      // Assert
      const winners = results.filter((r) => r.ok);
      expect(winners).toHaveLength(1);
      const holder = winners[0]!.ok ? winners[0]!.lease.owner : '';
      for (const r of results) if (!r.ok) expect(r.holder).toBe(holder);
      expect(await fixture.store.get('leases', 'race')).toMatchObject({ owner: holder, token: 1 });
    });

    it('gives an expired lease to exactly one of 20 concurrent acquirers, with the next token', async () => {
      const first = await acquireLease(deps, 'race2', 'old', 1_000);
      expect(first.ok).toBe(true);
      clock += 1_001;

      const results = await Promise.all(Array.from({ length: 20 }, (_, i) => acquireLease(deps, 'race2', `owner-${i}`, 10_000)));

      const winners = results.filter((r) => r.ok);
      expect(winners).toHaveLength(1);
      expect(winners[0]!.ok && winners[0]!.lease.token).toBe(2);
      expect(winners[0]!.ok && winners[0]!.takenOver).toBe(true);
    });

    it("refuses a paused holder's fenced write once a newer holder took over", async () => {
      // Arrange: A holds the lease, then pauses past its TTL; B takes it over.
      await fixture.store.insert(ACCOUNTS, { id: 'fenced', owner: 'ops', balance: 0 });
      const a = await acquireLease(deps, 'job', 'A', 1_000);
      if (!a.ok) throw new Error('A should hold the lease');
      clock += 1_500;
      const b = await acquireLease(deps, 'job', 'B', 1_000);
      if (!b.ok) throw new Error('B should take the expired lease over');
      expect(b.lease.token).toBeGreaterThan(a.lease.token);

      // Act: A wakes up and writes under its old token; B writes under its own.
      const credit = (lease: Lease, amount: number) =>
        fixture.store.transact([
          fence(lease),
          { kind: 'update', label: 'credit', collection: ACCOUNTS, id: 'fenced', spec: { inc: { balance: amount } } },
        ]);
      const late = await credit(a.lease, 1);
      const current = await credit(b.lease, 10);

      // Assert: only B's write landed; A cannot renew or release B's lease either.
      expect(late).toMatchObject({ ok: false, label: 'fence', reason: 'guard_failed' });
      expect(current.ok).toBe(true);
      expect(await fixture.store.get(ACCOUNTS, 'fenced')).toMatchObject({ balance: 10 });
      expect(await renewLease(deps, a.lease, 1_000)).toEqual({ ok: false, reason: 'lost' });
      expect(await releaseLease(deps, a.lease)).toEqual({ ok: false, reason: 'lost' });
      expect(await fixture.store.get('leases', 'job')).toMatchObject({ owner: 'B', token: b.lease.token });
    });

    it('recovers a lease whose holder crashed only after its TTL', async () => {
      const crashed = await acquireLease(deps, 'crash', 'crashed', 5_000);
      expect(crashed.ok).toBe(true);

      clock += 4_999;
      const early = await acquireLease(deps, 'crash', 'rescuer', 5_000);
      clock += 2;
      const late = await acquireLease(deps, 'crash', 'rescuer', 5_000);

      expect(early).toMatchObject({ ok: false, reason: 'held', holder: 'crashed' });
      expect(late).toMatchObject({ ok: true, takenOver: true, lease: { owner: 'rescuer', token: 2 } });
    });

    it('lets only the holder renew and release, and a released lease is taken with a larger token', async () => {
      const a = await acquireLease(deps, 'cycle', 'A', 1_000);
      if (!a.ok) throw new Error('A should hold the lease');
      const renewed = await renewLease(deps, a.lease, 5_000);
      expect(renewed).toMatchObject({ ok: true, lease: { expiresAtMs: clock + 5_000, token: 1 } });
      expect(await releaseLease(deps, { ...a.lease, owner: 'B' })).toEqual({ ok: false, reason: 'lost' });
      expect(await acquireLease(deps, 'cycle', 'B', 1_000)).toMatchObject({ ok: false, reason: 'held' });

      expect((await releaseLease(deps, a.lease)).ok).toBe(true);
      const b = await acquireLease(deps, 'cycle', 'B', 1_000);

      expect(b).toMatchObject({ ok: true, lease: { owner: 'B', token: 2 } });
    });

    it('extends the lease of an owner that acquires it again, keeping its token', async () => {
      await acquireLease(deps, 'again', 'A', 1_000);
      clock += 500;
      const again = await acquireLease(deps, 'again', 'A', 1_000);
      expect(again).toMatchObject({ ok: true, takenOver: false, lease: { token: 1, expiresAtMs: clock + 1_000 } });
    });
  });
}
