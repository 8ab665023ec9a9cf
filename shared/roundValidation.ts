/** Input schemas of the lottery-round routes (shared/validation.ts has the shared pieces and the rules). */
import * as z from 'zod/mini';
import { MAX_SHARES_PER_ENTRY, MAX_TOTAL_SHARES } from './rounds';
import { Amount, Id, IdempotencyKey } from './validation';

/** Round ids are shorter than other ids: the pool account (`pool-<id>`) and entry ids derive from them. */
export const RoundId = z.string().check(z.regex(/^[A-Za-z0-9_-]{1,40}$/, 'must be 1-40 characters of A-Z a-z 0-9 _ -'));

const Count = (max: number) => z.number().check(z.int(), z.positive(), z.maximum(max));
export const Shares = Count(MAX_SHARES_PER_ENTRY);

/** POST /rounds body (admin). capPerUser <= totalShares and prize <= price x totalShares are checked by the server. */
export const CreateRoundBody = z.strictObject({
  id: RoundId,
  name: z.optional(z.string().check(z.minLength(1), z.maxLength(100))),
  totalShares: Count(MAX_TOTAL_SHARES),
  price: Amount,
  capPerUser: Count(MAX_TOTAL_SHARES),
  prize: z.optional(Amount),
});
export const CreateRoundPayload = CreateRoundBody;

export const GetRoundPayload = z.strictObject({ roundId: RoundId });

/** POST /rounds/{id}/entries body: which of the caller's accounts pays, and how many shares. */
export const EnterRoundBody = z.strictObject({ accountId: Id, shares: Shares });
export const EnterRoundPayload = z.strictObject({
  roundId: RoundId,
  accountId: Id,
  shares: Shares,
  idempotencyKey: z.optional(IdempotencyKey),
});

export const DrawRoundPayload = z.strictObject({ roundId: RoundId });
