/**
 * The daily reset of free entries on a real server: 20 instances starting it at once open the day exactly once;
 * a paused holder's run is refused after a takeover; a day opens again only on the next UTC day; and free
 * entries are counted per account and day, never past the allowance, even when taken concurrently.
 */
import { ACCOUNTS, MAINTENANCE } from '../../../shared/collections';
import { FREE_ENTRIES_DOC, RESET_LEASE_TTL_MS, resetFreeEntries, takeFreeEntry } from '../../../shared/operations/freeEntries';
import type { ConditionalStore } from '../../../shared/store';
import { fakeDeps } from '../../support/deps';
import { backendFixture, type BackendFixture, type BackendName } from '../../support/stores';

const DAY1 = Date.UTC(2026, 11, 2, 0, 0, 5);
const DAY2 = Date.UTC(2026, 11, 3, 0, 0, 5);

export function describeFreeEntries(backend: BackendName): void {
  describe(`daily reset of free entries on ${backend}`, () => {
    let fixture: BackendFixture;
    beforeEach(async () => {
      fixture = await backendFixture(backend, 'free');
    });
    afterEach(async () => fixture?.cleanup());

    // The lease clock is the operation's (fake sleeps shift it); the store bounds its work by real time.
    const depsOn = (store: ConditionalStore, clock = { skew: 0 }) =>
      fakeDeps(store, { now: () => Date.now() + clock.skew, sleep: async (ms) => void (clock.skew += ms), random: Math.random });
    const deadline = () => Date.now() + 60_000;
    const markers = async () => (await fixture.list(MAINTENANCE)).filter((d) => String(d.id ?? d._id).startsWith(`${FREE_ENTRIES_DOC}:`));

    it('opens the day exactly once when 20 instances start the reset at once, and again only the next day', async () => {
      const runs = await Promise.all(
        Array.from({ length: 20 }, () => resetFreeEntries(depsOn(fixture.store), { now: DAY1, deadline: deadline(), allowance: 2 })),
      );

      expect(runs.filter((r) => r.status === 'reset')).toHaveLength(1);
      expect(runs.every((r) => ['reset', 'busy', 'already-done'].includes(r.status))).toBe(true);
      expect(await markers()).toHaveLength(1);
      expect(await fixture.store.get(MAINTENANCE, FREE_ENTRIES_DOC)).toMatchObject({ day: '2026-12-02', allowance: 2, version: 1 });

      const later = await resetFreeEntries(depsOn(fixture.store), { now: DAY1 + 3_600_000, deadline: deadline(), allowance: 2 });
      const next = await resetFreeEntries(depsOn(fixture.store), { now: DAY2, deadline: deadline(), allowance: 2 });
      const stale = await resetFreeEntries(depsOn(fixture.store), { now: DAY1 + 7_200_000, deadline: deadline(), allowance: 2 });

      expect(later).toEqual({ status: 'already-done', day: '2026-12-02' });
      expect(next).toMatchObject({ status: 'reset', day: '2026-12-03' });
      expect(stale.status).toBe('already-done');
      expect(await markers()).toHaveLength(2);
      expect(await fixture.store.get(MAINTENANCE, FREE_ENTRIES_DOC)).toMatchObject({ day: '2026-12-03', version: 2 });
    });

    it("refuses a paused holder's reset after another instance took the lease over", async () => {
      // Arrange: the first run pauses past the lease TTL just before its transaction; meanwhile another runs.
      const clock = { skew: 0 };
      let paused = false;
      const pausing: ConditionalStore = {
        ...fixture.store,
        get: (c, id) => fixture.store.get(c, id),
        update: (c, id, s) => fixture.store.update(c, id, s),
        insert: (c, d) => fixture.store.insert(c, d),
        transact: async (writes, options) => {
          if (!paused) {
            paused = true;
            clock.skew += RESET_LEASE_TTL_MS + 1;
            const other = await resetFreeEntries(depsOn(fixture.store, clock), { now: DAY1, deadline: deadline() });
            expect(other.status).toBe('reset');
          }
          return fixture.store.transact(writes, options);
        },
      };

      // Act
      const late = await resetFreeEntries(depsOn(pausing, clock), { now: DAY1, deadline: deadline() });

      // Assert: the paused run wrote nothing; the day was opened once, under the newer token.
      expect(late).toEqual({ status: 'lease-lost', day: '2026-12-02' });
      expect(await markers()).toHaveLength(1);
      expect(await fixture.store.get(MAINTENANCE, FREE_ENTRIES_DOC)).toMatchObject({ token: 2, version: 1 });
    });

    it('counts free entries per account and day, never past the allowance, even when taken concurrently', async () => {
      await fixture.store.insert(ACCOUNTS, { id: 'fe1', owner: 'ann', balance: 0 });
      const deps = depsOn(fixture.store);
      const take = () => takeFreeEntry(deps, { uid: 'ann', accountId: 'fe1', deadline: deadline() });
      expect(await take()).toEqual({ ok: false, reason: 'not-open' });
      await resetFreeEntries(deps, { now: DAY1, deadline: deadline(), allowance: 3 });

      const racing = await Promise.allSettled(Array.from({ length: 20 }, take));

      const taken = racing.filter((r) => r.status === 'fulfilled' && r.value.ok);
      expect(taken).toHaveLength(3);
      for (const r of racing) {
        if (r.status === 'rejected') expect(r.reason).toMatchObject({ code: 'VERSION_CONFLICT' });
        else if (!r.value.ok) expect(r.value.reason).toBe('none-left');
      }
      expect(await take()).toEqual({ ok: false, reason: 'none-left' });
      expect(await takeFreeEntry(deps, { uid: 'bob', accountId: 'fe1', deadline: deadline() })).toEqual({
        ok: false,
        reason: 'not-your-account',
      });

      await resetFreeEntries(deps, { now: DAY2, deadline: deadline(), allowance: 3 });
      expect(await take()).toEqual({ ok: true, day: '2026-12-03', left: 2 });
    });
  });
}
