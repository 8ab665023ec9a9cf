/**
 * The client SDK agrees with docs/openapi.json: the same routes (method, path, token or not), the same error
 * codes, and, checked by the type checker in `npm test`, the same success data types as the schemas the
 * document is generated from (scripts/openapi/responses.ts), which the server's real answers are tested against.
 */
import type * as z from 'zod/mini';
import { ROUTES } from '../../client/src/routes';
import { ADMIN_ROUTES } from '../../client/src/admin/adminRoutes';
import { SERVER_CODES } from '../../client/src/codes';
import type {
  Account,
  Cart,
  Order,
  OrderPage,
  Product,
  PurchaseOutcome,
  RemoveOutcome,
  RestockOutcome,
  OrderTransitionOutcome,
  TransferOutcome,
} from '../../client/src/types';
import type * as responses from '../../scripts/openapi/responses';
import { openApiDocument } from '../support/openApi';

/** True only when A and B are the same type (not merely assignable one way). */
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
type Data<S extends z.ZodMiniType> = z.infer<S>;

// A type that drifts from the document's schema turns one of these into `false`, and `true` no longer fits.
const sameTypes: Record<string, true> = {
  Product: true satisfies Equal<Product, Data<typeof responses.Product>>,
  Order: true satisfies Equal<Order, Data<typeof responses.Order>>,
  PurchaseOutcome: true satisfies Equal<PurchaseOutcome, Data<typeof responses.Purchase>>,
  TransferOutcome: true satisfies Equal<TransferOutcome, Data<typeof responses.Transfer>>,
  Account: true satisfies Equal<Account, Data<typeof responses.Account>>,
  Cart: true satisfies Equal<Cart, Data<typeof responses.Cart>>,
  RemoveOutcome: true satisfies Equal<RemoveOutcome, Data<typeof responses.ItemRemoved>>,
  OrderPage: true satisfies Equal<OrderPage, Data<typeof responses.OrderPage>>,
  RestockOutcome: true satisfies Equal<RestockOutcome, Data<typeof responses.Restock>>,
  OrderTransitionOutcome: true satisfies Equal<OrderTransitionOutcome, Data<typeof responses.OrderTransition>>,
};

describe('the client SDK and the OpenAPI document', () => {
  it('have the same routes, each with or without a token alike', () => {
    const fromDocument = Object.entries(openApiDocument.paths).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, op]) => ({
        operation: op.operationId,
        method: method.toUpperCase(),
        path,
        public: (op as unknown as { security: unknown[] }).security.length === 0,
      })),
    );
    const fromClient = Object.entries({ ...ROUTES, ...ADMIN_ROUTES }).map(([operation, route]) => ({
      operation,
      method: route.method,
      path: route.path,
      public: route.public === true,
    }));
    const byOperation = (a: { operation: string }, b: { operation: string }) => a.operation.localeCompare(b.operation);
    expect(fromClient.sort(byOperation)).toEqual(fromDocument.sort(byOperation));
  });

  it('know the same error codes with the same statuses', () => {
    const documented = (openApiDocument.components.schemas.ErrorCode as { enum: string[] }).enum;
    expect(Object.keys(SERVER_CODES).sort()).toEqual([...documented].sort());
    for (const [status, response] of Object.values(openApiDocument.paths).flatMap((methods) =>
      Object.values(methods).flatMap((op) => Object.entries(op.responses)),
    )) {
      const schema = response.content['application/json']?.schema as {
        properties?: { error?: { enum?: string[] } };
        oneOf?: Array<{ properties?: { error?: { enum?: string[] } } }>;
      };
      const codes = schema.properties?.error?.enum ?? schema.oneOf?.[0]?.properties?.error?.enum ?? [];
      for (const code of codes) expect(`${code} ${(SERVER_CODES as Record<string, number>)[code]}`).toBe(`${code} ${status}`);
    }
  });

  it('type their success data alike (checked by tsc)', () => {
    expect(Object.values(sameTypes).every(Boolean)).toBe(true);
  });
});
