/**
 * Input schemas of the admin maintenance routes: batch adjustments and the daily reset. Kept apart from
 * validation.ts (the user routes) because their limits differ: a batch is up to MAX_BATCH_ITEMS items, far
 * more than the 16 KiB every other input is held to, so its function raises the limit to BATCH_MAX_INPUT_BYTES.
 */
import * as z from 'zod/mini';
import { MAX_BATCH_ITEMS } from './operations/batchAdjust';
import { Id } from './validation';

/** The largest item fits in about 230 bytes; 1,000 of them with room to spare. */
export const BATCH_MAX_INPUT_BYTES = 256 * 1024;
/** |delta| in minor units: far above any real adjustment, and far from the safe-integer edge. */
export const MAX_ABS_DELTA = 1_000_000_000_000;

export const Delta = z.number().check(
  z.int(),
  z.minimum(-MAX_ABS_DELTA),
  z.maximum(MAX_ABS_DELTA),
  z.refine((n) => n !== 0, 'must not be 0'),
);

export const AdjustItemSchema = z.strictObject({
  accountId: Id,
  delta: Delta,
  reason: z.string().check(z.minLength(1), z.maxLength(100)),
});

/** `POST /accounts/batch-adjust` body, and the direct payload of batchAdjust (the same fields). */
export const BatchAdjustBody = z.strictObject({
  batchId: Id,
  items: z.array(AdjustItemSchema).check(z.minLength(1), z.maxLength(MAX_BATCH_ITEMS)),
});
export type BatchAdjustBody = z.infer<typeof BatchAdjustBody>;

/** `POST /maintenance/reset-free-entries` takes nothing: the day is the server's. */
export const ResetFreeEntriesPayload = z.strictObject({});
