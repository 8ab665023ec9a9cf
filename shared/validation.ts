/**
 * Input schemas for everything that crosses the edge. Strict objects: unknown fields are refused, types are
 * never coerced ("1" is not a quantity), ids are limited to a documented character set.
 */
import { z } from 'zod';
import { AppError } from './errors';

/** Ids (products, carts, items, accounts): 1-64 of A-Z a-z 0-9 _ - . No `$`, `.`, spaces or expression syntax. */
export const ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
export const MAX_QUANTITY = 1_000;

export const Id = z.string().regex(ID_PATTERN, 'must be 1-64 characters of A-Z a-z 0-9 _ -');

export const STRATEGIES = ['atomic', 'version', 'transaction'] as const;
export type Strategy = (typeof STRATEGIES)[number];
export const DEFAULT_STRATEGY: Strategy = 'transaction';

export const PurchaseBody = z.strictObject({
  quantity: z.number().int().positive().max(MAX_QUANTITY),
  strategy: z.enum(STRATEGIES).optional(),
});
export type PurchaseBody = z.infer<typeof PurchaseBody>;

export interface FieldIssue {
  field: string;
  message: string;
}

/** Parses `input` with `schema`, or throws INVALID_REQUEST listing every offending field. */
export function parseWith<T>(schema: z.ZodType<T>, input: unknown, where: string): T {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issues: FieldIssue[] = result.error.issues.map((issue) => {
    const keys = issue.code === 'unrecognized_keys' ? issue.keys : [];
    const path = [...issue.path.map(String), ...(keys.length === 1 ? keys : [])].join('.');
    return {
      field: path ? `${where}.${path}` : where,
      message: keys.length > 1 ? `unknown fields: ${keys.join(', ')}` : issue.message,
    };
  });
  throw new AppError('INVALID_REQUEST', 'invalid request', { details: { issues } });
}
