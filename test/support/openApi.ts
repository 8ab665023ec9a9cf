/**
 * Checks an HTTP answer of a handler against docs/openapi.json: the status must be one the document declares
 * for that operation, and the body must match that response's schema (error codes included, per status).
 * Used by test/scripts/openapi.test.ts and by the fuzz suite on every HTTP answer.
 */
import Ajv2020 from 'ajv/dist/2020';
import type { ValidateFunction } from 'ajv';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const OPENAPI_PATH = join(__dirname, '..', '..', 'docs', 'openapi.json');

type Document = {
  paths: Record<
    string,
    Record<
      string,
      {
        operationId: string;
        responses: Record<string, { headers?: Record<string, unknown>; content: Record<string, { schema: unknown }> }>;
      }
    >
  >;
  components: { schemas: Record<string, unknown> };
};

export const openApiDocument = JSON.parse(readFileSync(OPENAPI_PATH, 'utf8')) as Document;

const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false });
ajv.addSchema({ $id: 'lockless', components: openApiDocument.components }, 'lockless');

const compiled = new Map<string, ValidateFunction>();
const STANDARD_HEADERS = new Set(['content-type', 'cache-control']);

/** The document's operation by operationId: its responses and their schemas. */
function operation(operationId: string) {
  for (const methods of Object.values(openApiDocument.paths)) {
    for (const op of Object.values(methods)) if (op.operationId === operationId) return op;
  }
  throw new Error(`operation ${operationId} is not in docs/openapi.json`);
}

/** `#/components/...` references resolved inside the document registered as `lockless`. */
function rooted(schema: unknown): unknown {
  return JSON.parse(JSON.stringify(schema).replace(/"#\/components\//g, '"lockless#/components/'));
}

/** Problems with an answer (empty when it is what the document says). */
export function openApiProblems(operationId: string, status: number, body: unknown, headers: Record<string, string> = {}): string[] {
  const response = operation(operationId).responses[String(status)];
  if (!response) return [`${operationId} answered ${status}, which docs/openapi.json does not declare`];
  const key = `${operationId} ${status}`;
  let validate = compiled.get(key);
  if (!validate) {
    validate = ajv.compile(rooted(response.content['application/json']?.schema) as object);
    compiled.set(key, validate);
  }
  const problems: string[] = [];
  if (!validate(body)) problems.push(`${key}: ${ajv.errorsText(validate.errors)} in ${JSON.stringify(body).slice(0, 300)}`);
  const lower = Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));
  const declared = new Set(Object.keys(response.headers ?? {}).map((name) => name.toLowerCase()));
  for (const name of Object.keys(lower)) {
    if (!STANDARD_HEADERS.has(name) && !declared.has(name)) problems.push(`${key}: header ${name} is not declared`);
  }
  // ETag is always sent with a product; Idempotent-Replayed only on a replay.
  if (declared.has('etag') && lower.etag === undefined) problems.push(`${key}: no ETag header`);
  return problems;
}
