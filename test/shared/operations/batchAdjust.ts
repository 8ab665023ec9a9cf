/**
 * Batch adjustments on a real server. The invariants, after every scenario: each item is applied at most once
 * (its ledger entry is its marker), every balance equals its initial balance plus the deltas of its ledger
 * entries, no balance is below 0, and the answer's `applied` items are exactly the ledger entries.
 */
import { ACCOUNTS, LEDGER } from '../../../shared/collections';
import { batchAdjust, type AdjustItem, type BatchAdjustOutcome } from '../../../shared/operations/batchAdjust';
import type { ConditionalStore } from '../../../shared/store';
import { fakeDeps } from '../../support/deps';
import { backendFixture, type BackendFixture, type BackendName } from '../../support/stores';

const ACCOUNT_COUNT = 100;
const INITIAL = 1_000;

/** Deterministic pseudo-random numbers, so a failure can be reproduced. */
function prng(seed: number) {
  let state = seed >>> 0;
  return (below: number) => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state % below;
  };
}

/** The store of a function that dies: the call after `calls` successful ones (of `kinds`) throws, like a SIGKILL. */
function dyingStore(store: ConditionalStore, calls: number, kinds: Array<keyof ConditionalStore>): ConditionalStore {
  let made = 0;
  const die = <T>(kind: keyof ConditionalStore, run: () => Promise<T>) => {
    if (kinds.includes(kind) && made++ >= calls) return Promise.reject(new Error('killed'));
    return run();
  };
  return {
    get: (c, id) => die('get', () => store.get(c, id)),
    update: (c, id, spec) => die('update', () => store.update(c, id, spec)),
    insert: (c, doc) => die('insert', () => store.insert(c, doc)),
    remove: (c, id, v) => die('remove', () => store.remove(c, id, v)),
    transact: (writes, options) => die('transact', () => store.transact(writes, options)),
    list: (c, query) => die('list', () => store.list(c, query)),
    close: () => store.close(),
  };
}

export function describeBatchAdjust(backend: BackendName): void {
  describe(`batch adjustments on ${backend}`, () => {
    let fixture: BackendFixture;
    let prefix = 0;

    beforeAll(async () => {
      fixture = await backendFixture(backend, 'batch');
    });
    afterAll(async () => fixture?.cleanup());

    /** Fresh accounts for one scenario, and `count` random items over them (some debits too large). */
    async function arrange(count: number, seed: number) {
      const p = `s${++prefix}`;
      const ids = Array.from({ length: ACCOUNT_COUNT }, (_, i) => `${p}a${i}`);
      for (const id of ids) await fixture.store.insert(ACCOUNTS, { id, owner: 'someone', balance: INITIAL });
      const random = prng(seed);
      const items: AdjustItem[] = Array.from({ length: count }, (_, i) => ({
        accountId: ids[(i * 7 + random(3)) % ACCOUNT_COUNT]!,
        delta: random(4) === 0 ? 1 + random(300) : -(1 + random(700)),
        reason: `adjustment ${i}`,
      }));
      return { p, ids, items };
    }

    /** Checks the invariants for batch `batchId` over `ids`, and that `answer` reports what the ledger holds. */
    async function assertExactlyOnce(batchId: string, ids: string[], items: AdjustItem[], answer: BatchAdjustOutcome) {
      const ledger = (await fixture.list(LEDGER)).filter((e) => e.batchId === batchId);
      const indices = ledger.map((e) => e.index as number);
      expect(new Set(indices).size).toBe(indices.length);
      // Every decided item has exactly one entry: its delta when applied, 0 and the code when refused.
      const decided = answer.items.filter((i) => i.status !== 'pending').map((i) => i.index);
      expect([...indices].sort((a, b) => a - b)).toEqual(decided);
      for (const e of ledger) {
        const reported = answer.items[e.index as number]!;
        const item = items[e.index as number]!;
        if (reported.status === 'refused')
          expect(e).toMatchObject({ accountId: item.accountId, delta: 0, requested: item.delta, refused: reported.error });
        else expect(e).toMatchObject({ accountId: item.accountId, delta: item.delta });
      }
      const accounts = new Map((await fixture.list(ACCOUNTS)).map((a) => [String(a.id ?? a._id), a.balance as number]));
      for (const id of ids) {
        const sum = ledger.filter((e) => e.accountId === id).reduce((s, e) => s + (e.delta as number), 0);
        expect(accounts.get(id)).toBe(INITIAL + sum);
        expect(accounts.get(id)).toBeGreaterThanOrEqual(0);
      }
      expect(answer.applied + answer.refused + answer.pending).toBe(items.length);
    }

    // The store bounds its work by real time, so the operation's clock is the real one (shifted by fake sleeps).
    const deps = (store: ConditionalStore) => {
      let skew = 0;
      return fakeDeps(store, { now: () => Date.now() + skew, sleep: async (ms) => void (skew += ms) });
    };
    const deadline = () => Date.now() + 600_000;

    it.each([
      ['mid-chunk transactions', 7, ['transact']],
      ['the report of a committed chunk', 4, ['update']],
    ] as const)(
      'applies a 1,000-item batch exactly once when the function dies at %s and the batch is sent again',
      async (_, calls, kinds) => {
        // Arrange
        const { p, ids, items } = await arrange(1_000, calls);
        const batchId = `${p}-killed`;

        // Act: the first run dies part-way; the re-send runs on a healthy store.
        const dying = deps(dyingStore(fixture.store, calls, [...kinds]));
        await expect(batchAdjust(dying, { batchId, items, by: 'admin', deadline: deadline() })).rejects.toThrow('killed');
        const partial = (await fixture.list(LEDGER)).filter((e) => e.batchId === batchId).length;
        const answer = await batchAdjust(deps(fixture.store), { batchId, items, by: 'admin', deadline: deadline() });

        // Assert: the first run had applied some, the second finished the rest, each item once.
        expect(partial).toBeGreaterThan(0);
        expect(answer.complete).toBe(true);
        expect(answer.applied).toBeGreaterThan(partial);
        expect(answer.refused).toBeGreaterThan(0);
        await assertExactlyOnce(batchId, ids, items, answer);
        // A third send changes nothing and answers the same.
        const again = await batchAdjust(deps(fixture.store), { batchId, items, by: 'admin', deadline: deadline() });
        expect(again).toEqual(answer);
        await assertExactlyOnce(batchId, ids, items, again);
      },
    );

    it('stops before its deadline with complete: false, and a re-send finishes the batch', async () => {
      const { p, ids, items } = await arrange(600, 11);
      const batchId = `${p}-slow`;
      // Every transaction takes 400 ms of the fake clock: 10 s fit about 20 of them.
      const clock = deps(fixture.store);
      const slow: ConditionalStore = {
        ...fixture.store,
        get: (c, id) => fixture.store.get(c, id),
        update: (c, id, s) => fixture.store.update(c, id, s),
        insert: (c, d) => fixture.store.insert(c, d),
        transact: async (w, o) => {
          await clock.sleep(400);
          return fixture.store.transact(w, o);
        },
      };
      const first = await batchAdjust({ ...clock, store: slow }, { batchId, items, by: 'admin', deadline: clock.now() + 10_000 });

      expect(first.complete).toBe(false);
      expect(first.pending).toBeGreaterThan(0);
      expect(first.items.filter((i) => i.status === 'pending').length).toBe(first.pending);
      await assertExactlyOnce(batchId, ids, items, first);

      const second = await batchAdjust(deps(fixture.store), { batchId, items, by: 'admin', deadline: deadline() });
      expect(second.complete).toBe(true);
      expect(second.items.filter((i) => first.items[i.index]!.status !== 'pending')).toEqual(
        first.items.filter((i) => i.status !== 'pending'),
      );
      await assertExactlyOnce(batchId, ids, items, second);
    });

    it('applies each item once when the same batch is sent three times at once', async () => {
      const { p, ids, items } = await arrange(300, 5);
      const batchId = `${p}-racing`;
      const answers = await Promise.all(
        [1, 2, 3].map(() => batchAdjust(deps(fixture.store), { batchId, items, by: 'admin', deadline: deadline() })),
      );
      for (const answer of answers) {
        expect(answer.complete).toBe(true);
        expect(answer).toEqual(answers[0]);
      }
      await assertExactlyOnce(batchId, ids, items, answers[0]!);
    });

    it('reports a refused item with its reason and still applies the rest of its chunk', async () => {
      const { p, ids } = await arrange(0, 1);
      const items: AdjustItem[] = [
        { accountId: ids[0]!, delta: -100, reason: 'fee' },
        { accountId: ids[1]!, delta: -(INITIAL + 1), reason: 'too much' },
        { accountId: `${p}missing`, delta: 5, reason: 'nobody' },
        { accountId: ids[2]!, delta: 250, reason: 'bonus' },
        { accountId: ids[0]!, delta: -900, reason: 'second chunk: same account' },
      ];
      const answer = await batchAdjust(deps(fixture.store), { batchId: `${p}-mixed`, items, by: 'admin', deadline: deadline() });

      expect(answer.items.map((i) => (i.status === 'refused' ? i.error : i.status))).toEqual([
        'applied',
        'INSUFFICIENT_BALANCE',
        'ACCOUNT_NOT_FOUND',
        'applied',
        'applied',
      ]);
      expect(await fixture.store.get(ACCOUNTS, ids[0]!)).toMatchObject({ balance: 0 });
      await assertExactlyOnce(`${p}-mixed`, ids, items, answer);
    });

    it('refuses a batchId sent again with other items, and changes nothing', async () => {
      const { p, ids } = await arrange(0, 2);
      const items: AdjustItem[] = [{ accountId: ids[0]!, delta: 10, reason: 'once' }];
      const batchId = `${p}-reused`;
      await batchAdjust(deps(fixture.store), { batchId, items, by: 'admin', deadline: deadline() });

      const other = [{ ...items[0]!, delta: 20 }];
      await expect(batchAdjust(deps(fixture.store), { batchId, items: other, by: 'admin', deadline: deadline() })).rejects.toMatchObject({
        code: 'IDEMPOTENCY_KEY_REUSED',
      });
      expect(await fixture.store.get(ACCOUNTS, ids[0]!)).toMatchObject({ balance: INITIAL + 10 });
    });
  });
}
