/** The draw's formula and the entry's writes, without a database. */
import { createHmac } from 'node:crypto';
import { entryWrites } from '../../shared/operations/roundEntries';
import { drawWrites } from '../../shared/operations/roundDraws';
import { asRound, commitmentOf, publicRound, winningNumber, type Round, type RoundEntry } from '../../shared/rounds';

const round = (fields: Partial<Round> = {}): Round => ({
  id: 'r1',
  version: 4,
  name: 'r1',
  totalShares: 10,
  sold: 7,
  price: 100,
  prize: 900,
  capPerUser: 3,
  status: 'open',
  poolAccountId: 'pool-r1',
  commitment: commitmentOf('s'.repeat(64)),
  seed: 's'.repeat(64),
  createdAt: '2026-12-02T00:00:00.000Z',
  ...fields,
});

describe('winningNumber', () => {
  it('is HMAC-SHA256(seed, roundId \\n finalEntryId) mod total + 1, recomputable by anyone', () => {
    const seed = 'ab'.repeat(32);
    const digest = createHmac('sha256', seed).update('r1\nr1-58').digest('hex');
    expect(winningNumber(seed, 'r1', 'r1-58', 60)).toBe(Number(BigInt(`0x${digest}`) % 60n) + 1);
  });

  it('stays in 1..total and changes with the seed and the final entry', () => {
    const seen = new Set<number>();
    for (let i = 0; i < 500; i++) {
      const n = winningNumber(`seed-${i}`, 'r1', 'r1-9', 7);
      expect(n).toBeGreaterThanOrEqual(1);
      expect(n).toBeLessThanOrEqual(7);
      seen.add(n);
    }
    expect(seen.size).toBe(7);
    expect(winningNumber('a', 'r1', 'r1-9', 1_000_000)).not.toBe(winningNumber('a', 'r1', 'r1-8', 1_000_000));
  });
});

describe('publicRound', () => {
  it('hides the seed until the round is drawn', () => {
    expect(publicRound(round())).not.toHaveProperty('seed');
    expect(publicRound(round({ status: 'full', finalEntryId: 'r1-10' }))).not.toHaveProperty('seed');
    expect(publicRound(round({ status: 'drawn', winningNumber: 3 }))).toMatchObject({ seed: 's'.repeat(64), winningNumber: 3 });
  });

  it('refuses documents that are not rounds', () => {
    expect(asRound({ id: 'x', version: 1, totalShares: 'ten' })).toBeNull();
    expect(asRound({ ...round(), status: 'closed' })).toBeNull();
  });
});

describe('entryWrites', () => {
  const input = { uid: 'ann', roundId: 'r1', accountId: 'acc-ann', shares: 2 };

  it('reserves sold+1..sold+shares under a CAS on the version it read', () => {
    const { data, writes } = entryWrites({ round: round(), holding: null }, input, Date.parse('2026-12-02T01:00:00Z'), 1);
    expect(data.entry).toMatchObject({ id: 'r1-8', numbers: [8, 9], amount: 200 });
    expect(writes.map((w) => w.label)).toEqual(['round', 'holding', 'debit', 'credit', 'entry', 'ledger']);
    expect(writes[0]).toMatchObject({
      spec: {
        expectVersion: 4,
        guards: [
          { field: 'status', op: 'eq', value: 'open' },
          { field: 'sold', op: 'lte', value: 8 },
        ],
        set: { sold: 9, status: 'open' },
      },
    });
    expect(writes[1]).toMatchObject({ kind: 'insert', doc: { shares: 2 } });
    expect(writes[2]).toMatchObject({ id: 'acc-ann', spec: { inc: { balance: -200 } } });
    expect(writes[3]).toMatchObject({ id: 'pool-r1', spec: { inc: { balance: 200 } } });
  });

  it('flips the round to full and queues it in the transaction that sells the last share', () => {
    const holding = { id: 'h', version: 2, shares: 1 };
    const { data, writes } = entryWrites({ round: round({ sold: 8 }), holding }, input, 0, 3);
    expect(data.round).toMatchObject({ status: 'full', sold: 10, finalEntryId: 'r1-9' });
    expect(writes[0]).toMatchObject({ spec: { set: { sold: 10, status: 'full', finalEntryId: 'r1-9' } } });
    expect(writes[1]).toMatchObject({ kind: 'update', spec: { expectVersion: 2, guards: [{ field: 'shares', op: 'lte', value: 1 }] } });
    expect(writes.at(-1)).toMatchObject({ label: 'queue', spec: { push: { field: 'rounds', element: { id: 'r1' } } } });
  });
});

describe('drawWrites', () => {
  it('pays the prize from the pool to the winning entry, guarded by status full, and dequeues the round', () => {
    const winner = { id: 'r1-3', uid: 'ann', accountId: 'acc-ann' } as RoundEntry;
    const writes = drawWrites(round({ status: 'drawn', winningNumber: 4, drawnAt: '2026-12-02T02:00:00.000Z' }), winner);
    expect(writes.map((w) => w.label)).toEqual(['round', 'pool', 'winner', 'ledger', 'queue']);
    expect(writes[0]).toMatchObject({ spec: { guards: [{ field: 'status', op: 'eq', value: 'full' }], set: { winningEntryId: 'r1-3' } } });
    expect(writes[1]).toMatchObject({ id: 'pool-r1', spec: { guards: [{ field: 'balance', op: 'gte', value: 900 }] } });
    expect(writes[2]).toMatchObject({ id: 'acc-ann', spec: { inc: { balance: 900 } } });
    expect(writes[3]).toMatchObject({ kind: 'insert', doc: { id: 'prize-r1', amount: 900 } });
  });
});
