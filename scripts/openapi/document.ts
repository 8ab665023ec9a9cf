/**
 * The OpenAPI 3.1 document of the HTTP API, built from the code that serves it so that it cannot drift:
 * - routes, methods and which routes need a token: the operations table that also generates serverless.yml's
 *   functions (scripts/serverless/functions.cjs);
 * - request bodies, path parameters and the Idempotency-Key header: the zod schemas the edge validates with
 *   (shared/validation.ts), turned into JSON Schema by zod itself;
 * - error codes, their statuses and whether they are retryable: shared/errors.ts;
 * - success data: ./responses.ts, which test/scripts/openapi.test.ts checks against real answers.
 *
 * `npm run openapi` writes it to docs/openapi.json; a test fails when the committed file is not what this
 * builds. Direct invocation (Lambda Invoke) is not HTTP and is described in the README, not here.
 */
import * as z from 'zod/mini';
import { ERROR_CODES, type ErrorCode } from '../../shared/errors';
import { message, type SuccessKey } from '../../shared/messages';
import { CreateProductBody, EditProductBody, RestockBody } from '../../shared/catalogSchemas';
import { CartItemBody, Id, IdempotencyKey, MAX_INPUT_BYTES, PayBody, PurchaseBody, TransferBody } from '../../shared/validation';
import { CreateRoundBody, EnterRoundBody } from '../../shared/roundValidation';
import * as responses from './responses';
import { BATCH_MAX_INPUT_BYTES, BatchAdjustBody } from '../../shared/batchValidation';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { OPERATIONS } = require('../serverless/functions.cjs') as {
  OPERATIONS: Record<string, { method: string; path: string; public?: boolean }>;
};

type JsonSchema = Record<string, unknown>;

/** JSON Schema (2020-12, OpenAPI 3.1's dialect) of a zod schema, as it validates input. */
function schemaOf(schema: z.ZodMiniType, io: 'input' | 'output' = 'input'): JsonSchema {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'throw' }) as JsonSchema;
  return rest;
}

/** What each operation takes and answers, beyond its route. Codes are per status in the error responses. */
interface OperationDoc {
  summary: string;
  description?: string;
  pathParams: string[];
  body?: { schema: z.ZodMiniType; note?: string };
  idempotent?: boolean;
  /** The route reads an If-Match header: required (a versioned edit) or optional (order transitions). */
  ifMatch?: 'required' | 'optional';
  /** Query parameters the route declares (every other one is refused), with their schemas. */
  query?: Record<string, { schema: z.ZodMiniType; description: string }>;
  /** `status` defaults to 200. */
  success: { msg: SuccessKey; data: z.ZodMiniType; status?: number; headers?: Record<string, { description: string }> };
  /** Error codes particular to the route; INVALID_REQUEST, INTERNAL, SERVICE_UNAVAILABLE (and UNAUTHORIZED
   * where a token is needed) are added to every route. */
  errors: ErrorCode[];
}

const REPLAYED_HEADER = {
  'Idempotent-Replayed': { description: '`true` when the answer repeats the first request made with the same Idempotency-Key.' },
};

const ORDER_ETAG = { ETag: { description: "The order's new ETag, for the If-Match of its next transition." } };

const OPERATION_DOCS: Record<string, OperationDoc> = {
  getProduct: {
    summary: 'Read a product (public: no token needed)',
    pathParams: ['id'],
    success: { msg: 'OK', data: responses.Product, headers: { ETag: { description: 'Changes whenever the product does (its version).' } } },
    errors: ['PRODUCT_NOT_FOUND'],
  },
  purchase: {
    summary: 'Buy units of a product for the caller',
    description:
      '`strategy` picks how stock is taken: `atomic` (the default: one guarded decrement, then the order; a reconciler returns ' +
      'the units of a purchase that died in between), `version` (compare-and-swap on the version), ' +
      '`transaction` (stock and order in one transaction). Send an Idempotency-Key to retry safely.',
    pathParams: ['id'],
    body: { schema: PurchaseBody },
    idempotent: true,
    success: { msg: 'PURCHASED', data: responses.Purchase, headers: REPLAYED_HEADER },
    errors: [
      'PRODUCT_NOT_FOUND',
      'VERSION_CONFLICT',
      'TRANSACTION_CONFLICT',
      'IDEMPOTENCY_IN_PROGRESS',
      'INSUFFICIENT_STOCK',
      'IDEMPOTENCY_KEY_REUSED',
      'PURCHASE_LIMIT_EXCEEDED',
    ],
  },
  getOrder: {
    summary: "Read one of the caller's orders",
    description: "Another user's order answers 404 ORDER_NOT_FOUND, like a missing one.",
    pathParams: ['orderNo'],
    success: { msg: 'OK', data: responses.Order, headers: { ETag: { description: 'The If-Match of an order transition.' } } },
    errors: ['ORDER_NOT_FOUND'],
  },
  transfer: {
    summary: "Move money from one of the caller's accounts to another account",
    description: 'Amounts are integers in minor units (fen). `from` and `to` must differ. Send an Idempotency-Key to retry safely.',
    pathParams: [],
    body: { schema: TransferBody, note: '`from` and `to` must differ (checked by the server; JSON Schema cannot say it).' },
    idempotent: true,
    success: { msg: 'TRANSFERRED', data: responses.Transfer, headers: REPLAYED_HEADER },
    errors: [
      'FORBIDDEN',
      'ACCOUNT_NOT_FOUND',
      'TRANSACTION_CONFLICT',
      'IDEMPOTENCY_IN_PROGRESS',
      'INSUFFICIENT_BALANCE',
      'IDEMPOTENCY_KEY_REUSED',
    ],
  },
  getAccount: {
    summary: "Read one of the caller's accounts",
    description: "Another user's account answers 404 ACCOUNT_NOT_FOUND, like a missing one.",
    pathParams: ['id'],
    success: { msg: 'OK', data: responses.Account },
    errors: ['ACCOUNT_NOT_FOUND'],
  },
  addCartItem: {
    summary: "Add an item to one of the caller's carts, creating the cart if it is new",
    description: 'Send an Idempotency-Key to retry safely: a retry answers the cart the first request made, not ITEM_EXISTS.',
    pathParams: ['id'],
    body: { schema: CartItemBody },
    idempotent: true,
    success: { msg: 'ITEM_ADDED', data: responses.Cart, headers: REPLAYED_HEADER },
    errors: [
      'PRODUCT_NOT_FOUND',
      'ITEM_EXISTS',
      'VERSION_CONFLICT',
      'TRANSACTION_CONFLICT',
      'CART_FULL',
      'CART_LIMIT_REACHED',
      'IDEMPOTENCY_IN_PROGRESS',
      'IDEMPOTENCY_KEY_REUSED',
    ],
  },
  removeCartItem: {
    summary: "Remove an item from one of the caller's carts, exactly once",
    description: 'Send an Idempotency-Key to retry safely: a retry answers the first removal, not ITEM_NOT_FOUND.',
    pathParams: ['id', 'itemId'],
    idempotent: true,
    success: { msg: 'ITEM_REMOVED', data: responses.ItemRemoved, headers: REPLAYED_HEADER },
    errors: [
      'CART_NOT_FOUND',
      'ITEM_NOT_FOUND',
      'VERSION_CONFLICT',
      'TRANSACTION_CONFLICT',
      'IDEMPOTENCY_IN_PROGRESS',
      'IDEMPOTENCY_KEY_REUSED',
    ],
  },
  getCart: {
    summary: "Read one of the caller's carts, items in the order they were added",
    pathParams: ['id'],
    success: { msg: 'OK', data: responses.Cart },
    errors: ['CART_NOT_FOUND'],
  },
  listOrders: {
    summary: "List the caller's orders, newest first, a page at a time",
    description:
      'Pass `nextCursor` of one page as `cursor` to get the next; the last page has none. A cursor works only for the caller it ' +
      'was given to (400 otherwise). Other query parameters are refused.',
    pathParams: [],
    query: {
      limit: { schema: z.string().check(z.regex(/^[1-9][0-9]{0,2}$/)), description: 'Orders per page, 1 to 100 (default 20).' },
      cursor: { schema: z.string().check(z.minLength(1), z.maxLength(512)), description: '`nextCursor` of the previous page.' },
    },
    success: { msg: 'OK', data: responses.OrderPage },
    errors: [],
  },
  createProduct: {
    summary: 'Create a product (admin)',
    description: 'Prices in minor units (fen). `limitPerUser` caps the units one user may hold in live orders of it.',
    pathParams: [],
    body: { schema: CreateProductBody },
    success: { msg: 'PRODUCT_CREATED', status: 201, data: responses.Product, headers: { ETag: { description: 'The new version.' } } },
    errors: ['FORBIDDEN', 'PRODUCT_EXISTS'],
  },
  editProduct: {
    summary: "Edit a product's name and price (admin), only at the version its If-Match names",
    description:
      'Send the ETag of GET /products/{id} as If-Match. A stale one answers 412 with the current ETag and product: merge and send again. ' +
      'Any write to the product (a sale, a restock) moves its version on.',
    pathParams: ['id'],
    ifMatch: 'required',
    body: { schema: EditProductBody, note: 'At least one of `name` and `price`.' },
    success: { msg: 'PRODUCT_UPDATED', data: responses.Product, headers: { ETag: { description: 'The new version.' } } },
    errors: ['FORBIDDEN', 'PRODUCT_NOT_FOUND', 'PRECONDITION_FAILED', 'PRECONDITION_REQUIRED'],
  },
  restock: {
    summary: 'Add stock to a product (admin)',
    description: 'One increment: it never waits for or fails because of purchases. Send an Idempotency-Key so a retry adds once.',
    pathParams: ['id'],
    body: { schema: RestockBody },
    idempotent: true,
    success: { msg: 'RESTOCKED', data: responses.Restock, headers: REPLAYED_HEADER },
    errors: ['FORBIDDEN', 'PRODUCT_NOT_FOUND', 'TRANSACTION_CONFLICT', 'IDEMPOTENCY_IN_PROGRESS', 'IDEMPOTENCY_KEY_REUSED'],
  },
  payOrder: {
    summary: "Pay one of the caller's pending orders from one of the caller's accounts",
    description:
      'One transaction debits the account (guarded by its balance), credits the merchant, writes the ledger entry and marks the ' +
      'order `paid`, before the payment window closes. Optional If-Match with the order ETag. Send an Idempotency-Key to retry safely.',
    pathParams: ['orderNo'],
    ifMatch: 'optional',
    body: { schema: PayBody },
    idempotent: true,
    success: { msg: 'PAID', data: responses.OrderTransition, headers: { ...ORDER_ETAG, ...REPLAYED_HEADER } },
    errors: [
      'FORBIDDEN',
      'ORDER_NOT_FOUND',
      'TRANSACTION_CONFLICT',
      'IDEMPOTENCY_IN_PROGRESS',
      'INVALID_TRANSITION',
      'PRECONDITION_FAILED',
      'INSUFFICIENT_BALANCE',
      'IDEMPOTENCY_KEY_REUSED',
    ],
  },
  cancelOrder: {
    summary: "Cancel one of the caller's unpaid orders: its stock comes back",
    description: 'No body. Optional If-Match with the order ETag.',
    pathParams: ['orderNo'],
    ifMatch: 'optional',
    success: { msg: 'CANCELLED', data: responses.OrderTransition, headers: ORDER_ETAG },
    errors: ['ORDER_NOT_FOUND', 'TRANSACTION_CONFLICT', 'INVALID_TRANSITION', 'PRECONDITION_FAILED'],
  },
  shipOrder: {
    summary: 'Mark a paid order shipped (admins only)',
    description: 'No body. Optional If-Match with the order ETag.',
    pathParams: ['orderNo'],
    ifMatch: 'optional',
    success: { msg: 'SHIPPED', data: responses.OrderTransition, headers: ORDER_ETAG },
    errors: ['FORBIDDEN', 'ORDER_NOT_FOUND', 'TRANSACTION_CONFLICT', 'INVALID_TRANSITION', 'PRECONDITION_FAILED'],
  },
  refundOrder: {
    summary: 'Refund a paid order (admins only): the money goes back to the paying account, the stock to the product',
    description: 'No body. Optional If-Match with the order ETag.',
    pathParams: ['orderNo'],
    ifMatch: 'optional',
    success: { msg: 'REFUNDED', data: responses.OrderTransition, headers: ORDER_ETAG },
    errors: [
      'FORBIDDEN',
      'ACCOUNT_NOT_FOUND',
      'ORDER_NOT_FOUND',
      'TRANSACTION_CONFLICT',
      'INVALID_TRANSITION',
      'PRECONDITION_FAILED',
      'INSUFFICIENT_BALANCE',
    ],
  },
  createRound: {
    summary: 'Create a lottery round and its pool account (admins only)',
    description:
      'The server draws the seed and answers its sha256 as `commitment`; the seed is shown once the round is drawn. ' +
      'Round ids are 1-40 characters of A-Z a-z 0-9 _ -.',
    pathParams: [],
    body: {
      schema: CreateRoundBody,
      note: '`capPerUser` <= `totalShares` and `prize` <= `price` x `totalShares` (checked by the server).',
    },
    success: { msg: 'ROUND_CREATED', data: responses.RoundData },
    errors: ['FORBIDDEN', 'ROUND_EXISTS', 'TRANSACTION_CONFLICT'],
  },
  getRound: {
    summary: 'Read a lottery round (public: no token needed)',
    description:
      'Once drawn, the answer shows the seed: winningNumber = HMAC-SHA256(seed, roundId + "\\n" + finalEntryId) mod totalShares + 1.',
    pathParams: ['id'],
    success: { msg: 'OK', data: responses.RoundData },
    errors: ['ROUND_NOT_FOUND'],
  },
  enterRound: {
    summary: "Buy shares of a lottery round from one of the caller's accounts",
    description:
      'One transaction: the debit, the pool credit, the round (status full when this sells the last share), the per-user ' +
      'counter, the entry with its consecutive share numbers and the ledger entry. Send an Idempotency-Key to retry safely.',
    pathParams: ['id'],
    body: { schema: EnterRoundBody },
    idempotent: true,
    success: { msg: 'ROUND_ENTERED', data: responses.RoundEntered, headers: REPLAYED_HEADER },
    errors: [
      'FORBIDDEN',
      'ROUND_NOT_FOUND',
      'TRANSACTION_CONFLICT',
      'IDEMPOTENCY_IN_PROGRESS',
      'INSUFFICIENT_BALANCE',
      'IDEMPOTENCY_KEY_REUSED',
      'ROUND_SOLD_OUT',
      'ENTRY_CAP_EXCEEDED',
    ],
  },
  drawRound: {
    summary: 'Draw a full lottery round and pay its prize, exactly once (admins only)',
    description: 'No body. A round already drawn answers its recorded result with `drawnNow: false`.',
    pathParams: ['id'],
    success: { msg: 'ROUND_DRAWN', data: responses.RoundDrawn },
    errors: ['FORBIDDEN', 'ROUND_NOT_FOUND', 'TRANSACTION_CONFLICT', 'ROUND_NOT_FULL'],
  },
  batchAdjust: {
    summary: 'Apply up to 1,000 balance adjustments, each exactly once (admins and trusted servers only)',
    description:
      'Items are applied in atomic chunks; a debit never takes a balance below 0 (the item is refused, the rest applies). ' +
      'Every item gets one ledger entry. The `batchId` makes the batch idempotent and resumable: `complete: false` means the ' +
      `deadline stopped the work, and sending the same batch again applies only what is missing. Bodies up to ${BATCH_MAX_INPUT_BYTES} bytes.`,
    pathParams: [],
    body: { schema: BatchAdjustBody },
    success: { msg: 'OK', data: responses.BatchAdjust },
    errors: ['FORBIDDEN', 'IDEMPOTENCY_KEY_REUSED'],
  },
  resetFreeEntries: {
    summary: "Open today's free entries, once per UTC day (admins only; the scheduled maintenance run does the same)",
    description: 'No body. `status` says whether this call opened the day, found it done, or found another run holding the lease.',
    pathParams: [],
    success: { msg: 'OK', data: responses.ResetFreeEntries },
    errors: ['FORBIDDEN', 'TRANSACTION_CONFLICT'],
  },
};

const ERROR_CODE_NAMES = Object.keys(ERROR_CODES) as ErrorCode[];

function docOf(operation: string): OperationDoc {
  const doc = OPERATION_DOCS[operation];
  if (!doc) throw new Error(`no OpenAPI description for operation ${operation}`);
  return doc;
}

/** The codes a route may answer, every one of them. */
export function errorCodesOf(operation: string): ErrorCode[] {
  const doc = docOf(operation);
  const always: ErrorCode[] = ['INVALID_REQUEST', 'INTERNAL', 'SERVICE_UNAVAILABLE'];
  if (!OPERATIONS[operation]?.public) always.push('UNAUTHORIZED');
  return ERROR_CODE_NAMES.filter((code) => always.includes(code) || doc.errors.includes(code));
}

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

function successResponse(name: string, doc: OperationDoc) {
  return {
    description: `${message(doc.success.msg, 'en')} (msg: "${message(doc.success.msg, 'zh')}" in Chinese, "${message(doc.success.msg, 'en')}" in English)`,
    ...(doc.success.headers
      ? { headers: Object.fromEntries(Object.entries(doc.success.headers).map(([h, v]) => [h, { ...v, schema: { type: 'string' } }])) }
      : {}),
    content: {
      'application/json': {
        schema: {
          allOf: [ref('SuccessEnvelope')],
          properties: { code: { const: doc.success.status ?? 200 }, data: ref(`${name}Data`) },
          required: ['data'],
        },
      },
    },
  };
}

function errorResponses(operation: string): Record<string, unknown> {
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of errorCodesOf(operation)) {
    const { status } = ERROR_CODES[code];
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  const out: Record<string, unknown> = {};
  for (const [status, codes] of [...byStatus].sort(([a], [b]) => a - b)) {
    const envelope = { allOf: [ref('ErrorEnvelope')], properties: { code: { const: status }, error: { enum: codes } } };
    // API Gateway refuses a missing or bad token itself, before the function runs, with its own body.
    const schema = status === 401 ? { oneOf: [envelope, ref('GatewayError')] } : envelope;
    out[String(status)] = {
      description: codes.map((code) => `${code}${ERROR_CODES[code].retryable ? ' (retryable)' : ''}`).join(', '),
      content: { 'application/json': { schema } },
    };
  }
  return out;
}

const capitalised = (name: string) => `${name.charAt(0).toUpperCase()}${name.slice(1)}`;

export function buildOpenApi(): Record<string, unknown> {
  const missing = Object.keys(OPERATIONS).filter((op) => !OPERATION_DOCS[op]);
  if (missing.length > 0) throw new Error(`operations without an OpenAPI description: ${missing.join(', ')}`);

  const paths: Record<string, Record<string, unknown>> = {};
  const dataSchemas: Record<string, JsonSchema> = {};
  for (const [operation, route] of Object.entries(OPERATIONS)) {
    const doc = docOf(operation);
    const name = capitalised(operation);
    dataSchemas[`${name}Data`] = schemaOf(doc.success.data, 'output');
    const parameters: unknown[] = doc.pathParams.map((param) => ({ name: param, in: 'path', required: true, schema: ref('Id') }));
    if (doc.idempotent) {
      parameters.push({
        name: 'Idempotency-Key',
        in: 'header',
        required: false,
        description: 'Makes a retry safe: the same key with the same request answers the first result and changes nothing more.',
        schema: ref('IdempotencyKey'),
      });
    }
    if (doc.ifMatch) {
      const required = doc.ifMatch === 'required';
      parameters.push({
        name: 'If-Match',
        in: 'header',
        required,
        description: required
          ? 'The ETag of GET /products/{id}. Missing: 428 PRECONDITION_REQUIRED; stale: 412 PRECONDITION_FAILED.'
          : 'The ETag the order was read with; a stale one answers 412 PRECONDITION_FAILED with the current ETag.',
        schema: { type: 'string' },
      });
    }
    for (const [param, query] of Object.entries(doc.query ?? {})) {
      parameters.push({ name: param, in: 'query', required: false, description: query.description, schema: schemaOf(query.schema) });
    }
    parameters.push({ $ref: '#/components/parameters/AcceptLanguage' });
    const methods = paths[route.path] ?? {};
    paths[route.path] = methods;
    methods[route.method.toLowerCase()] = {
      operationId: operation,
      summary: doc.summary,
      ...(doc.description ? { description: doc.description } : {}),
      security: route.public ? [] : [{ bearerAuth: [] }],
      parameters,
      ...(doc.body
        ? {
            requestBody: {
              required: true,
              ...(doc.body.note ? { description: doc.body.note } : {}),
              content: { 'application/json': { schema: ref(`${name}Body`) } },
            },
          }
        : {}),
      responses: { [String(doc.success.status ?? 200)]: successResponse(name, doc), ...errorResponses(operation) },
    };
    if (doc.body) dataSchemas[`${name}Body`] = schemaOf(doc.body.schema);
  }

  return {
    openapi: '3.1.0',
    info: {
      title: 'lockless',
      version: '0.1.0',
      summary: 'Change shared documents without lost updates, oversold stock or double-spent money.',
      description:
        'Every answer is the envelope `{ code, msg, data?, error? }`: `code` repeats the HTTP status, `error` is a stable ' +
        'machine code to branch on, `msg` is for people (Chinese by default, English with Accept-Language: en). ' +
        `Bodies are JSON objects of at most ${MAX_INPUT_BYTES} bytes; unknown fields are refused. Money is in minor units. ` +
        'Generated from the code by `npm run openapi`; do not edit by hand.',
      license: { name: 'MIT', identifier: 'MIT' },
    },
    servers: [{ url: 'http://localhost:3000', description: '`npm start`' }],
    security: [{ bearerAuth: [] }],
    paths,
    components: {
      securitySchemes: {
        bearerAuth: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description:
            'A JWT the API Gateway authorizer verifies; the caller is its `sub`. `npm run token -- alice` prints one for `npm start`.',
        },
      },
      parameters: {
        AcceptLanguage: {
          name: 'Accept-Language',
          in: 'header',
          required: false,
          description: 'The language of `msg`: zh (the default) or en, chosen by quality value.',
          schema: { type: 'string' },
        },
      },
      schemas: {
        Id: schemaOf(Id),
        IdempotencyKey: schemaOf(IdempotencyKey),
        ErrorCode: {
          type: 'string',
          enum: ERROR_CODE_NAMES,
          description: ERROR_CODE_NAMES.map(
            (code) => `${code}: ${ERROR_CODES[code].status}${ERROR_CODES[code].retryable ? ', retryable' : ''}`,
          ).join('; '),
        },
        SuccessEnvelope: {
          type: 'object',
          properties: { code: { type: 'integer' }, msg: { type: 'string' }, data: {} },
          required: ['code', 'msg'],
          additionalProperties: false,
        },
        ErrorEnvelope: {
          type: 'object',
          properties: {
            code: { type: 'integer', minimum: 400 },
            msg: { type: 'string' },
            error: ref('ErrorCode'),
            data: ref('ErrorData'),
          },
          required: ['code', 'msg', 'error'],
          additionalProperties: false,
        },
        ErrorData: {
          type: 'object',
          description: 'Safe details of a refusal. At 5xx only `requestId` (also in the log) and, for 503, `outcome`.',
          properties: {
            issues: {
              type: 'array',
              maxItems: 10,
              items: {
                type: 'object',
                properties: { field: { type: 'string' }, message: { type: 'string' } },
                required: ['field', 'message'],
                additionalProperties: false,
              },
            },
            requestId: { type: 'string' },
            outcome: {
              enum: ['unknown', 'not-applied'],
              description: 'Whether a write may have applied: retry with the same Idempotency-Key.',
            },
            requested: { type: 'integer' },
            available: { type: 'integer' },
            attempts: { type: 'integer' },
            limit: { type: 'integer' },
            exhausted: { type: 'string', enum: ['attempts', 'deadline'] },
            etag: { type: 'string', description: 'PRECONDITION_FAILED: the ETag of the document as it is now.' },
            current: { description: 'PRECONDITION_FAILED: the document as it is now, for the editor to merge.' },
            // The order lifecycle: INVALID_TRANSITION, PRECONDITION_FAILED, PURCHASE_LIMIT_EXCEEDED.
            status: { type: 'string', description: 'INVALID_TRANSITION: the status the order has now.' },
            transition: { type: 'string' },
            reason: { type: 'string' },
            held: { type: 'integer', description: 'PURCHASE_LIMIT_EXCEEDED: units held; ENTRY_CAP_EXCEEDED: shares held in the round.' },
            remaining: { type: 'integer', description: 'PURCHASE_LIMIT_EXCEEDED: units the buyer may still buy.' },
            cap: { type: 'integer', description: 'ENTRY_CAP_EXCEEDED: the per-user cap of the round.' },
          },
          additionalProperties: false,
        },
        GatewayError: {
          type: 'object',
          description: "API Gateway's own answer to a missing or invalid token: not the envelope.",
          properties: { message: { type: 'string' } },
          required: ['message'],
        },
        ...dataSchemas,
      },
    },
  };
}
