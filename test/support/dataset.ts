/**
 * A small realistic dataset for the suites that prove refusals change nothing (access, injection, fuzzing):
 * products, accounts of several owners, carts with items, orders, a ledger entry and idempotency records,
 * created through the real handlers wherever a route exists. `snapshot` reads every collection with the raw
 * driver, so "nothing changed" is checked on what the database holds, not on what the store reports.
 */
import { encodeCursor } from '../../shared/edge/listCursor';
import { COLLECTION_NAMES } from '../../shared/collections';
import { adminClaims, call, cognitoContext, trustedCallerContext } from './events';
import { backendEnv, loadFunctions, type LoadedFunctions } from './functions';
import type { BackendFixture, BackendName } from './stores';

export const FUNCTION_NAMES = [
  'getProduct',
  'purchase',
  'getOrder',
  'addCartItem',
  'removeCartItem',
  'getCart',
  'transfer',
  'getAccount',
  'createProduct',
  'editProduct',
  'restock',
  'listOrders',
  'payOrder',
  'cancelOrder',
  'shipOrder',
  'refundOrder',
  'createRound',
  'getRound',
  'enterRound',
  'drawRound',
  'batchAdjust',
  'resetFreeEntries',
];

/** The account payments go to (LOCKLESS_MERCHANT_ACCOUNT_ID's default); owned by no user of the suites. */
export const MERCHANT_ACCOUNT = { id: 'acc-merchant', owner: 'merchant', balance: 0 };

/** The deployer's secret for trusted server-to-server callers, in the suites that load these functions. */
export const TRUSTED_SECRET = 'dataset-trusted-caller-secret-0123456789abcdef';

/** Every caller the suites use; mallory owns nothing. */
export const USERS = ['alice', 'bob', 'carol', 'mallory'] as const;
export type User = (typeof USERS)[number];

export interface Dataset {
  products: Array<{ id: string; stock: number }>;
  accounts: Array<{ id: string; owner: User; balance: number }>;
  carts: Array<{ id: string; owner: User; itemIds: string[] }>;
  orders: Array<{ orderNo: string; uid: User }>;
  /** GET /orders cursors given to someone who is none of USERS: every caller here must be refused them. */
  foreignCursors: string[];
  /** Lottery rounds: `round-open` (alice holds its cap, 8 of 10 shares left), `round-full` (bob bought both shares). */
  rounds: Array<{ id: string; status: 'open' | 'full' }>;
}

/** Loads every function against the fixture, with a trusted-caller secret configured. */
export function loadAll(backend: BackendName, fixture: BackendFixture): LoadedFunctions {
  return loadFunctions(FUNCTION_NAMES, {
    ...backendEnv(backend, fixture),
    LOCKLESS_TRUSTED_CALLER_SECRET: TRUSTED_SECRET,
    // The seeded orders stay payable for the whole of a long fuzz run.
    LOCKLESS_PAYMENT_WINDOW_S: String(24 * 3600),
  });
}

/**
 * A Lambda context carrying a trusted caller's assertion for `sub` (the way a trusted server invokes), signed
 * for the payload when it is invoked (events.ts `invoke`, `signedFor`).
 */
export function trustedContext(
  sub: string,
  secret = TRUSTED_SECRET,
  now = Date.now(),
  options: { stage?: string; functionName?: string } = {},
) {
  return trustedCallerContext(secret, sub, { now, ...options });
}

export async function seedDataset(fixture: BackendFixture, fns: LoadedFunctions): Promise<Dataset> {
  const products = [
    { id: 'p-1', name: '商品A', stock: 100, sold: 0, price: 1999 },
    { id: 'p-2', name: 'Widget', stock: 3, sold: 0, price: 500 },
    { id: 'p-soldout', name: 'Gone', stock: 0, sold: 10, price: 100 },
  ];
  const accounts = [
    { id: 'acc-alice', owner: 'alice' as const, balance: 10_000 },
    { id: 'acc-alice-2', owner: 'alice' as const, balance: 50 },
    { id: 'acc-bob', owner: 'bob' as const, balance: 5_000 },
    { id: 'acc-carol', owner: 'carol' as const, balance: 0 },
  ];
  for (const product of products) expectOk(await fixture.store.insert('products', product));
  for (const account of accounts) expectOk(await fixture.store.insert('accounts', account));
  expectOk(await fixture.store.insert('accounts', MERCHANT_ACCOUNT));

  const carts: Dataset['carts'] = [
    { id: 'cart-alice', owner: 'alice', itemIds: ['a', 'b'] },
    { id: 'cart-bob', owner: 'bob', itemIds: ['x'] },
    { id: 'cart-carol', owner: 'carol', itemIds: ['c-1', 'c-2', 'c-3'] },
  ];
  for (const cart of carts) {
    for (const itemId of cart.itemIds) {
      const body = { id: itemId, productId: 'p-1', quantity: 1 };
      await expect200(
        call(fns.http('addCartItem'), {
          method: 'POST',
          path: `/carts/${cart.id}/items`,
          pathParameters: { id: cart.id },
          body,
          sub: cart.owner,
        }),
      );
    }
  }

  const orders: Dataset['orders'] = [];
  for (const [uid, strategy, key] of [
    ['alice', 'transaction', 'seed-order-1'],
    ['bob', 'atomic', 'seed-order-2'],
  ] as const) {
    const answer = await expect200(
      call(fns.http('purchase'), {
        method: 'POST',
        path: '/products/p-1/purchase',
        pathParameters: { id: 'p-1' },
        body: { quantity: 1, strategy },
        headers: { 'idempotency-key': key },
        sub: uid,
      }),
    );
    orders.push({ orderNo: answer.body.data.order.orderNo, uid });
  }
  // An order bought through a direct invocation by a Cognito identity.
  const direct = (await fns.handler('purchase')({ productId: 'p-1', quantity: 2, strategy: 'version' }, cognitoContext('carol'))) as {
    code: number;
    data: { order: { orderNo: string } };
  };
  if (direct.code !== 200) throw new Error(`seeding a direct purchase answered ${JSON.stringify(direct)}`);
  orders.push({ orderNo: direct.data.order.orderNo, uid: 'carol' });

  await expect200(
    call(fns.http('transfer'), {
      method: 'POST',
      path: '/transfers',
      body: { from: 'acc-alice', to: 'acc-bob', amount: 250 },
      headers: { 'idempotency-key': 'seed-transfer-1' },
      sub: 'alice',
    }),
  );
  // Lottery rounds, created by an admin and entered through the real handlers.
  for (const [id, totalShares, buyer, account] of [
    ['round-open', 10, 'alice', 'acc-alice'],
    ['round-full', 2, 'bob', 'acc-bob'],
  ] as const) {
    const round = { id, totalShares, price: 100, capPerUser: 2 };
    await expect200(call(fns.http('createRound'), { method: 'POST', path: '/rounds', body: round, sub: 'ops', claims: adminClaims }));
    await expect200(
      call(fns.http('enterRound'), {
        method: 'POST',
        path: `/rounds/${id}/entries`,
        pathParameters: { id },
        body: { accountId: account, shares: 2 },
        sub: buyer,
      }),
    );
  }
  const balances: Record<string, number> = { 'acc-alice': -250 - 200, 'acc-bob': 250 - 200 };
  return {
    products: products.map((p) => ({ id: p.id, stock: p.id === 'p-1' ? p.stock - 4 : p.stock })),
    accounts: accounts.map((a) => ({ ...a, balance: a.balance + (balances[a.id] ?? 0) })),
    carts,
    orders,
    foreignCursors: ['eve', 'cognito:eve'].map((uid) => encodeCursor(uid, { sort: '2026-12-01T00:00:00.000Z', id: orders[0]!.orderNo })),
    rounds: [
      { id: 'round-open', status: 'open' },
      { id: 'round-full', status: 'full' },
    ],
  };
}

export type Snapshot = Record<string, Array<Record<string, unknown>>>;

/** Every stored item of every collection, sorted by key, as the raw driver reads it. */
export async function snapshot(fixture: BackendFixture): Promise<Snapshot> {
  const out: Snapshot = {};
  for (const collection of COLLECTION_NAMES) {
    const items = await fixture.list(collection);
    const key = (item: Record<string, unknown>) => String(item._id ?? item.id);
    out[collection] = items.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  }
  return out;
}

function expectOk(result: { ok: boolean }): void {
  if (!result.ok) throw new Error(`seeding failed: ${JSON.stringify(result)}`);
}

async function expect200<T extends { statusCode: number; body: unknown }>(pending: Promise<T>): Promise<T> {
  const answer = await pending;
  if (answer.statusCode !== 200) throw new Error(`seeding answered ${answer.statusCode}: ${JSON.stringify(answer.body)}`);
  return answer;
}
