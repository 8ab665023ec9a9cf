/**
 * Well-formed requests that the dataset still obliges every route to refuse: another user's cart, account or
 * order, a product or account that does not exist, more than the stock or the balance. These are the bases the
 * fuzzer mutates; unmutated, they are sent as they are and must be refused without a write.
 */
import fc from 'fast-check';
import type { Dataset, User } from '../support/dataset';
import { USERS } from '../support/dataset';
import type { Identity } from './generators';
import { ROUTES } from './routes';
import { STRATEGIES, unknownId, validItemId } from './values';

export type RouteName =
  | 'getProduct'
  | 'purchase'
  | 'getOrder'
  | 'addCartItem'
  | 'removeCartItem'
  | 'getCart'
  | 'transfer'
  | 'getAccount'
  | 'listOrders'
  | 'createProduct'
  | 'editProduct'
  | 'restock'
  | 'payOrder'
  | 'cancelOrder'
  | 'shipOrder'
  | 'refundOrder'
  | 'getRound'
  | 'enterRound'
  | 'batchAdjust'
  | 'resetFreeEntries';

/** A request as the operation would see it, in payload field names; `item` is addCartItem's item. */
export type Command = Record<string, unknown>;

export interface Base {
  route: RouteName;
  /** The caller for whom the request is well formed but must be refused. */
  caller: User;
  command: Command;
  /** The statuses a correct edge and operation may answer. */
  expect: number[];
  why: string;
}

const quantity = fc.integer({ min: 1, max: 1000 });
const shares = fc.integer({ min: 1, max: 100 });
const amount = fc.oneof(fc.integer({ min: 1, max: 1_000_000 }), fc.constant(1e12));
const strategy = fc.option(fc.constantFrom(...STRATEGIES), { nil: undefined });
const idempotencyKey = fc.option(fc.stringMatching(/^[A-Za-z0-9_.:-]{1,128}$/), { nil: undefined });
const user = fc.constantFrom(...USERS);
const otherThan = (owner: User) => fc.constantFrom(...USERS.filter((u) => u !== owner));
const defined = (command: Command): Command => Object.fromEntries(Object.entries(command).filter(([, v]) => v !== undefined));

/**
 * The statuses a plan built on `base` may be answered with, and what makes it a refusal, for either transport:
 * a draft refused before any operation (`early`) gets 400; a user or admin route without a user, 401; an admin
 * route (the dataset's users are no admins), 403 before anything is read; any other mutation, 400; an unmutated
 * request, the base's own refusal.
 */
export function verdict(base: Base, draft: { kinds: string[]; early: boolean }, identity: Identity): { kinds: string[]; expect: number[] } {
  const access = ROUTES[base.route].access;
  const anonymous = access !== 'public' && identity.kind !== 'user';
  return {
    kinds: [...draft.kinds, ...(identity.kind === 'user' ? [] : [`identity ${identity.kind}`]), ...(draft.kinds.length ? [] : [base.why])],
    expect: draft.early ? [400] : anonymous ? [401] : access === 'admin' ? [403] : draft.kinds.length > 0 ? [400] : base.expect,
  };
}

function base(route: RouteName, why: string, expect: number[]) {
  return ([caller, command]: [User, Command]): Base => ({ route, caller, command: defined(command), expect, why });
}

export function bases(data: Dataset): Record<RouteName, fc.Arbitrary<Base>> {
  const cart = fc.constantFrom(...data.carts);
  const account = fc.constantFrom(...data.accounts);
  const order = fc.constantFrom(...data.orders);
  const ownOrder = fc.constantFrom(...data.orders.filter((o) => o.uid !== 'carol'));
  const anyAccountId = fc.oneof(
    account.map((a) => a.id),
    unknownId,
  );
  return {
    getProduct: fc.tuple(user, fc.record({ productId: unknownId })).map(base('getProduct', 'no such product', [404])),
    purchase: fc.oneof(
      // Every strategy carries a key here: a refused purchase leaves no idempotency record behind.
      fc
        .tuple(user, fc.record({ productId: unknownId, quantity, strategy: fc.constantFrom('atomic', 'version'), idempotencyKey }))
        .map(base('purchase', 'no such product', [404])),
      fc
        .tuple(user, fc.record({ productId: unknownId, quantity, strategy: fc.constantFrom('transaction', undefined), idempotencyKey }))
        .map(base('purchase', 'no such product', [404])),
      fc
        .tuple(user, fc.record({ productId: fc.constant('p-2'), quantity: fc.integer({ min: 4, max: 1000 }), strategy, idempotencyKey }))
        .map(base('purchase', 'more than the stock', [422])),
      fc
        .tuple(user, fc.record({ productId: fc.constant('p-soldout'), quantity, strategy: fc.constant('transaction'), idempotencyKey }))
        .map(base('purchase', 'sold out', [422])),
    ),
    getOrder: fc.oneof(
      order
        .chain((o) => fc.tuple(otherThan(o.uid), fc.constant({ orderNo: o.orderNo })))
        .map(base('getOrder', "another user's order", [404])),
      fc.tuple(user, fc.record({ orderNo: unknownId })).map(base('getOrder', 'no such order', [404])),
    ),
    // Cart ids are scoped to their owner, so "another user's cart" is the caller's own new cart: what must be
    // refused is an item of no product (whoever's id), or an item id the owner's cart already holds. With or
    // without a key: a refused keyed change leaves no idempotency record (the snapshot holds the collection).
    addCartItem: fc.oneof(
      cart
        .chain((c) =>
          fc.tuple(
            user,
            fc.record({
              cartId: fc.oneof(fc.constant(c.id), validItemId),
              item: fc.record({ id: validItemId, productId: unknownId, quantity }),
              idempotencyKey,
            }),
          ),
        )
        .map(base('addCartItem', 'no such product', [404])),
      cart
        .chain((c) =>
          fc.tuple(
            fc.constant(c.owner),
            fc.record({
              cartId: fc.constant(c.id),
              item: fc.record({ id: fc.constantFrom(...c.itemIds), productId: fc.constant('p-1'), quantity }),
              idempotencyKey,
            }),
          ),
        )
        .map(base('addCartItem', 'an item id the cart holds', [409])),
    ),
    removeCartItem: fc.oneof(
      cart
        .chain((c) =>
          fc.tuple(
            otherThan(c.owner),
            fc.record({ cartId: fc.constant(c.id), itemId: fc.oneof(fc.constantFrom(...c.itemIds), validItemId), idempotencyKey }),
          ),
        )
        .map(base('removeCartItem', "another user's cart", [404])),
      cart
        .chain((c) => fc.tuple(fc.constant(c.owner), fc.record({ cartId: fc.constant(c.id), itemId: unknownId, idempotencyKey })))
        .map(base('removeCartItem', 'an item not in the cart', [404])),
      fc
        .tuple(user, fc.record({ cartId: unknownId, itemId: validItemId, idempotencyKey }))
        .map(base('removeCartItem', 'no such cart', [404])),
    ),
    getCart: fc.oneof(
      cart.chain((c) => fc.tuple(otherThan(c.owner), fc.constant({ cartId: c.id }))).map(base('getCart', "another user's cart", [404])),
      fc.tuple(user, fc.record({ cartId: unknownId })).map(base('getCart', 'no such cart', [404])),
    ),
    transfer: fc.oneof(
      account
        .chain((a) => fc.tuple(otherThan(a.owner), fc.record({ from: fc.constant(a.id), to: anyAccountId, amount, idempotencyKey })))
        .filter(([, c]) => c.from !== c.to)
        .map(base('transfer', "another user's account", [403])),
      fc
        .tuple(user, fc.record({ from: unknownId, to: anyAccountId, amount, idempotencyKey }))
        .map(base('transfer', 'no such source account', [403])),
      account
        .chain((a) => fc.tuple(fc.constant(a.owner), fc.record({ from: fc.constant(a.id), to: unknownId, amount, idempotencyKey })))
        .map(base('transfer', 'no such destination', [404, 422])),
      account
        .chain((a) =>
          fc.tuple(
            fc.constant(a.owner),
            fc.record({
              from: fc.constant(a.id),
              to: fc.constantFrom(...data.accounts.filter((b) => b.id !== a.id).map((b) => b.id)),
              amount: fc.integer({ min: a.balance + 1, max: 1e12 }),
              idempotencyKey,
            }),
          ),
        )
        .map(base('transfer', 'more than the balance', [422])),
      fc
        .tuple(user, anyAccountId, amount)
        .map(([caller, id, n]) => base('transfer', 'from equals to', [400])([caller, { from: id, to: id, amount: n }])),
    ),
    getAccount: fc.oneof(
      account
        .chain((a) => fc.tuple(otherThan(a.owner), fc.constant({ accountId: a.id })))
        .map(base('getAccount', "another user's account", [404])),
      fc.tuple(user, fc.record({ accountId: unknownId })).map(base('getAccount', 'no such account', [404])),
    ),
    // Two refusals at once, so that no single mutation (dropping either field) can make the request valid.
    listOrders: fc
      .tuple(user, fc.integer({ min: 101, max: 100_000 }), fc.constantFrom(...data.foreignCursors))
      .map(([caller, limit, cursor]) =>
        base('listOrders', "a limit past 100 and another user's cursor", [400])([caller, { limit, cursor }]),
      ),
    createProduct: fc
      .tuple(user, fc.record({ id: unknownId, name: fc.constant('New'), price: fc.nat(10_000), stock: fc.nat(100) }))
      .map(base('createProduct', 'not an admin', [403])),
    editProduct: fc
      .tuple(user, fc.record({ productId: fc.constantFrom('p-1', 'p-2'), ifMatch: fc.constant('"p-1.v1"'), price: fc.nat(10_000) }))
      .map(base('editProduct', 'not an admin', [403])),
    restock: fc
      .tuple(user, fc.record({ productId: fc.constantFrom('p-1', 'p-2'), quantity, idempotencyKey }))
      .map(base('restock', 'not an admin', [403])),
    // The seeded orders are all unpaid: paying one is refused only for who pays, from where, or with what. Only
    // the orders bought over HTTP belong to the dataset's user of that name (carol's was bought by a Cognito
    // identity, whose owner id is its own).
    payOrder: fc.oneof(
      order
        .chain((o) => fc.tuple(otherThan(o.uid), fc.record({ orderNo: fc.constant(o.orderNo), accountId: anyAccountId, idempotencyKey })))
        .map(base('payOrder', "another user's order", [404])),
      fc
        .tuple(user, fc.record({ orderNo: unknownId, accountId: anyAccountId, idempotencyKey }))
        .map(base('payOrder', 'no such order', [404])),
      ownOrder
        .chain((o) =>
          fc.tuple(
            fc.constant(o.uid),
            fc.record({
              orderNo: fc.constant(o.orderNo),
              accountId: fc.oneof(fc.constantFrom(...data.accounts.filter((a) => a.owner !== o.uid).map((a) => a.id)), unknownId),
              idempotencyKey,
            }),
          ),
        )
        .map(base('payOrder', "an account that is not the buyer's", [403])),
      fc
        .constantFrom(...data.orders.filter((o) => o.uid === 'alice'))
        .chain((o) =>
          fc.tuple(
            fc.constant(o.uid),
            fc.record({ orderNo: fc.constant(o.orderNo), accountId: fc.constant('acc-alice-2'), idempotencyKey }),
          ),
        )
        .map(base('payOrder', 'more than the balance', [422])),
    ),
    cancelOrder: fc.oneof(
      order
        .chain((o) => fc.tuple(otherThan(o.uid), fc.constant({ orderNo: o.orderNo })))
        .map(base('cancelOrder', "another user's order", [404])),
      fc.tuple(user, fc.record({ orderNo: unknownId })).map(base('cancelOrder', 'no such order', [404])),
    ),
    shipOrder: fc
      .tuple(
        user,
        fc.oneof(
          order.map((o) => ({ orderNo: o.orderNo })),
          fc.record({ orderNo: unknownId }),
        ),
      )
      .map(base('shipOrder', 'not an admin', [403])),
    refundOrder: fc
      .tuple(
        user,
        fc.oneof(
          order.map((o) => ({ orderNo: o.orderNo })),
          fc.record({ orderNo: unknownId }),
        ),
      )
      .map(base('refundOrder', 'not an admin', [403])),
    getRound: fc.tuple(user, fc.record({ roundId: unknownId })).map(base('getRound', 'no such round', [404])),
    enterRound: fc.oneof(
      fc
        .tuple(user, fc.record({ roundId: unknownId, accountId: anyAccountId, shares, idempotencyKey }))
        .map(base('enterRound', 'no such round', [404])),
      fc
        .tuple(user, fc.record({ roundId: fc.constant('round-full'), accountId: anyAccountId, shares, idempotencyKey }))
        .map(base('enterRound', 'a full round', [422])),
      fc
        .tuple(
          fc.constant<User>('alice'),
          fc.record({ roundId: fc.constant('round-open'), accountId: fc.constant('acc-alice'), shares, idempotencyKey }),
        )
        .map(base('enterRound', 'over the cap (or more than is left)', [422])),
      account
        .chain((a) =>
          fc.tuple(
            otherThan(a.owner),
            fc.record({ roundId: fc.constant('round-open'), accountId: fc.constant(a.id), shares, idempotencyKey }),
          ),
        )
        // Sold out (more than 8) and alice's cap are checked before the account's owner.
        .map(base('enterRound', "another user's account", [403, 422])),
      fc
        .tuple(
          fc.constant<User>('carol'),
          fc.record({
            roundId: fc.constant('round-open'),
            accountId: fc.constant('acc-carol'),
            shares: fc.integer({ min: 1, max: 2 }),
            idempotencyKey,
          }),
        )
        .map(base('enterRound', 'an empty account', [422])),
    ),
    // Admin routes: a well-formed batch or reset from a user who is not an admin.
    batchAdjust: fc
      .tuple(
        user,
        fc.record({
          batchId: validItemId,
          items: fc.array(
            fc.record({
              accountId: anyAccountId,
              delta: fc.integer({ min: -1000, max: 1000 }).filter((d) => d !== 0),
              reason: fc.constant('fuzz'),
            }),
            {
              minLength: 1,
              maxLength: 5,
            },
          ),
        }),
      )
      .map(base('batchAdjust', 'not an admin', [403])),
    resetFreeEntries: fc.tuple(user, fc.constant({})).map(base('resetFreeEntries', 'not an admin', [403])),
  };
}
