import { getAccount, transfer, type TransferInput } from '../../../shared/operations/transfers';
import { countingStore } from '../../support/countingStore';
import { fakeDeps } from '../../support/deps';
import { MemoryStore } from '../../support/memoryStore';

const FAR = Date.UTC(2030, 0, 1);

async function bank() {
  const store = new MemoryStore();
  await store.insert('accounts', { id: 'a', owner: 'alice', balance: 1000 });
  await store.insert('accounts', { id: 'b', owner: 'bob', balance: 50 });
  return store;
}
const move = (over: Partial<TransferInput> = {}): TransferInput => ({
  uid: 'alice',
  from: 'a',
  to: 'b',
  amount: 300,
  deadline: FAR,
  ...over,
});

describe('transfer', () => {
  it('debits, credits and writes the ledger entry together', async () => {
    const store = await bank();
    const { data } = await transfer(fakeDeps(store), move());
    expect(data.transfer).toEqual({ transferId: 'T-TEST-1', from: 'a', to: 'b', amount: 300, createdAt: '2026-11-25T08:00:00.000Z' });
    expect(await store.get('accounts', 'a')).toMatchObject({ balance: 700, version: 2 });
    expect(await store.get('accounts', 'b')).toMatchObject({ balance: 350, version: 2 });
    expect(store.all('ledger')).toEqual([{ id: 'T-TEST-1', ...data.transfer, uid: 'alice', version: 1 }]);
  });

  it.each([
    ['a caller who does not own from', move({ uid: 'bob' }), 'FORBIDDEN'],
    ['a from that does not exist', move({ from: 'zzz' }), 'FORBIDDEN'],
    ["someone else's from, without revealing that its balance is short", move({ uid: 'bob', amount: 5000 }), 'FORBIDDEN'],
    ['a to that does not exist', move({ to: 'zzz' }), 'ACCOUNT_NOT_FOUND'],
    ['more than the balance', move({ amount: 1001 }), 'INSUFFICIENT_BALANCE'],
    ['from equal to to', move({ to: 'a' }), 'INVALID_REQUEST'],
  ])('refuses %s and changes nothing', async (_name, input, code) => {
    const store = await bank();
    await expect(transfer(fakeDeps(store), input)).rejects.toMatchObject({ code });
    expect(await store.get('accounts', 'a')).toMatchObject({ balance: 1000, version: 1 });
    expect(await store.get('accounts', 'b')).toMatchObject({ balance: 50, version: 1 });
    expect(store.all('ledger')).toHaveLength(0);
  });

  it('refuses to debit a document of the caller that is not an account', async () => {
    const store = await bank();
    await store.insert('accounts', { id: 'c', owner: 'alice' });
    await expect(transfer(fakeDeps(store), move({ from: 'c' }))).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect(await store.get('accounts', 'c')).toEqual({ id: 'c', owner: 'alice', version: 1 });
  });

  it('commits in one transaction, with no read first', async () => {
    const { store: counted, calls } = countingStore(await bank());
    await transfer(fakeDeps(counted), move());
    expect(calls).toEqual(['transact']);
  });

  it('refuses to credit a document that is not an account', async () => {
    const store = await bank();
    await store.insert('accounts', { id: 'c', owner: 'carol' });
    await expect(transfer(fakeDeps(store), move({ to: 'c' }))).rejects.toMatchObject({ code: 'ACCOUNT_NOT_FOUND' });
    expect(await store.get('accounts', 'c')).toEqual({ id: 'c', owner: 'carol', version: 1 });
  });

  it('moves money once per idempotency key and replays the first result', async () => {
    const store = await bank();
    const deps = fakeDeps(store);
    const first = await transfer(deps, move({ idempotencyKey: 'k' }));
    const again = await transfer(deps, move({ idempotencyKey: 'k' }));
    expect(again).toEqual({ data: first.data, replayed: true });
    expect(await store.get('accounts', 'a')).toMatchObject({ balance: 700 });
    await expect(transfer(deps, move({ idempotencyKey: 'k', amount: 1 }))).rejects.toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED' });
    expect(store.all('ledger')).toHaveLength(1);
  });
});

describe('getAccount', () => {
  it('shows the owner their account and nobody else', async () => {
    const store = await bank();
    expect(await getAccount({ store }, 'alice', 'a')).toEqual({ id: 'a', owner: 'alice', balance: 1000, version: 1 });
    await expect(getAccount({ store }, 'bob', 'a')).rejects.toMatchObject({ code: 'ACCOUNT_NOT_FOUND' });
    await expect(getAccount({ store }, 'alice', 'nope')).rejects.toMatchObject({ code: 'ACCOUNT_NOT_FOUND' });
  });
});
