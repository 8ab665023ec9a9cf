/**
 * Leases with fencing tokens, over the existing port (no adapter change): the answer to seed 002's `isDeleting`
 * flag, which was taken with a read then a write (two callers both "won") and stayed set forever when the
 * function holding it crashed.
 *
 * A lease is one document `leases/{name}` = `{ owner, token, expiresAtMs }`:
 * - taking it is one guarded write: an insert-if-absent for a new name, or a compare-and-swap on the version of
 *   an expired lease, so of any number of concurrent acquirers exactly one wins;
 * - it expires by itself (`expiresAtMs`, the acquirer's clock): a holder that crashed is replaced after its TTL;
 * - every new holder increments `token` (the fencing token). The document is never deleted, so the token never
 *   goes back to 1 and never repeats;
 * - a write made under the lease carries `fence(lease)`, a transaction check that the lease still holds the
 *   holder's token. A holder that paused past its TTL (a frozen Lambda, a long GC) finds its writes refused as
 *   soon as a newer holder exists; the clock only decides when a takeover may happen, never whether a write is
 *   safe.
 *
 * Errors: INTERNAL (a `leases` document that is not a lease); whatever the store throws (SERVICE_UNAVAILABLE).
 */
import { LEASES } from '../collections';
import { AppError } from '../errors';
import type { ConditionalStore, Doc, TxWrite } from '../store';

export interface LeaseDeps {
  store: ConditionalStore;
  /** Epoch ms. */
  now: () => number;
}

/** A lease held: `token` is its fencing token, larger than every earlier holder's. */
export interface Lease {
  name: string;
  owner: string;
  token: number;
  expiresAtMs: number;
}

export type AcquireResult =
  | { ok: true; lease: Lease; takenOver: boolean }
  | { ok: false; reason: 'held'; holder: string; expiresAtMs: number };

/** A renew or release that found a newer holder (or no lease at all): the caller must stop writing. */
export type LeaseResult = { ok: true; lease: Lease } | { ok: false; reason: 'lost' };

/**
 * Rounds of read-then-guarded-write in one acquire. A round is lost only to another acquirer's write, which
 * leaves the lease live and held (next round answers `held`), so two rounds decide; four leave room.
 */
export const ACQUIRE_ROUNDS = 4;

interface LeaseDoc extends Doc {
  owner: string;
  token: number;
  expiresAtMs: number;
}

function asLeaseDoc(doc: Doc | null): LeaseDoc | null {
  if (!doc || typeof doc.owner !== 'string' || typeof doc.token !== 'number' || typeof doc.expiresAtMs !== 'number') return null;
  return doc as LeaseDoc;
}

const leaseOf = (name: string, doc: Doc): Lease => ({
  name,
  owner: doc.owner as string,
  token: doc.token as number,
  expiresAtMs: doc.expiresAtMs as number,
});

/**
 * Takes the lease `name` for `owner` for `ttlMs`, if it is free, expired or already `owner`'s (then it is
 * extended and keeps its token). At most ACQUIRE_ROUNDS x 2 store calls.
 */
export async function acquireLease(deps: LeaseDeps, name: string, owner: string, ttlMs: number): Promise<AcquireResult> {
  let last: LeaseDoc | null = null;
  for (let round = 0; round < ACQUIRE_ROUNDS; round++) {
    const now = deps.now();
    const expiresAtMs = now + ttlMs;
    const stored = await deps.store.get(LEASES, name);
    const doc = asLeaseDoc(stored);
    if (!stored) {
      const out = await deps.store.insert(LEASES, { id: name, owner, token: 1, expiresAtMs });
      if (out.ok) return { ok: true, lease: leaseOf(name, out.doc), takenOver: false };
      continue; // another acquirer inserted it first: read what it wrote
    }
    if (!doc) throw new AppError('INTERNAL', `leases/${name} is not a lease document`);
    last = doc;
    const live = doc.expiresAtMs > now;
    if (live && doc.owner !== owner) return { ok: false, reason: 'held', holder: doc.owner, expiresAtMs: doc.expiresAtMs };
    // Expired (or ours): swap it only if nobody wrote it since we read it. A new holder gets the next token.
    const mine = live && doc.owner === owner;
    const out = await deps.store.update(LEASES, name, {
      expectVersion: doc.version,
      set: { owner, expiresAtMs },
      ...(mine ? {} : { inc: { token: 1 } }),
    });
    if (out.ok) return { ok: true, lease: leaseOf(name, out.doc), takenOver: !mine };
  }
  // Every round lost to another writer: someone else holds it now.
  return { ok: false, reason: 'held', holder: last?.owner ?? 'unknown', expiresAtMs: last?.expiresAtMs ?? 0 };
}

/** Extends a lease the caller still holds (same owner and token), from now, by `ttlMs`. One store call. */
export async function renewLease(deps: LeaseDeps, lease: Lease, ttlMs: number): Promise<LeaseResult> {
  const out = await deps.store.update(LEASES, lease.name, {
    guards: holderGuards(lease),
    set: { expiresAtMs: deps.now() + ttlMs },
  });
  return out.ok ? { ok: true, lease: leaseOf(lease.name, out.doc) } : { ok: false, reason: 'lost' };
}

/**
 * Gives the lease up at once (only its holder can: same owner and token). The document stays, expired, so the
 * next holder's token is still larger. One store call.
 */
export async function releaseLease(deps: LeaseDeps, lease: Lease): Promise<LeaseResult> {
  const out = await deps.store.update(LEASES, lease.name, { guards: holderGuards(lease), set: { expiresAtMs: 0 } });
  return out.ok ? { ok: true, lease: leaseOf(lease.name, out.doc) } : { ok: false, reason: 'lost' };
}

/**
 * The fencing guard for a transaction made under `lease`: it commits only while the lease still holds this
 * token, that is while no newer holder exists. A refusal of this write is labelled `fence`.
 */
export function fence(lease: Pick<Lease, 'name' | 'token'>): TxWrite {
  return { kind: 'check', label: 'fence', collection: LEASES, id: lease.name, guards: [{ field: 'token', op: 'eq', value: lease.token }] };
}

function holderGuards(lease: Lease) {
  return [
    { field: 'owner', op: 'eq' as const, value: lease.owner },
    { field: 'token', op: 'eq' as const, value: lease.token },
  ];
}
