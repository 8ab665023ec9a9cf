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
import { CartItemBody, Id, IdempotencyKey, MAX_INPUT_BYTES, PurchaseBody, TransferBody } from '../../shared/validation';
import * as responses from './responses';

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
  success: { msg: SuccessKey; data: z.ZodMiniType; headers?: Record<string, { description: string }> };
  /** Error codes particular to the route; INVALID_REQUEST, INTERNAL, SERVICE_UNAVAILABLE (and UNAUTHORIZED
   * where a token is needed) are added to every route. */
  errors: ErrorCode[];
}

const REPLAYED_HEADER = {
  'Idempotent-Replayed': { description: '`true` when the answer repeats the first request made with the same Idempotency-Key.' },
};

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
    ],
  },
  getOrder: {
    summary: "Read one of the caller's orders",
    description: "Another user's order answers 404 ORDER_NOT_FOUND, like a missing one.",
    pathParams: ['orderNo'],
    success: { msg: 'OK', data: responses.Order },
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
    pathParams: ['id'],
    body: { schema: CartItemBody },
    success: { msg: 'ITEM_ADDED', data: responses.Cart },
    errors: ['PRODUCT_NOT_FOUND', 'ITEM_EXISTS', 'VERSION_CONFLICT', 'CART_FULL', 'CART_LIMIT_REACHED'],
  },
  removeCartItem: {
    summary: "Remove an item from one of the caller's carts, exactly once",
    pathParams: ['id', 'itemId'],
    success: { msg: 'ITEM_REMOVED', data: responses.ItemRemoved },
    errors: ['CART_NOT_FOUND', 'ITEM_NOT_FOUND'],
  },
  getCart: {
    summary: "Read one of the caller's carts, items in the order they were added",
    pathParams: ['id'],
    success: { msg: 'OK', data: responses.Cart },
    errors: ['CART_NOT_FOUND'],
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
          properties: { code: { const: 200 }, data: ref(`${name}Data`) },
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
      responses: { '200': successResponse(name, doc), ...errorResponses(operation) },
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
            exhausted: { type: 'boolean' },
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
