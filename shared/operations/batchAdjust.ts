/**
 * Batch balance adjustments (seed 004's `batchUpdateUserBalance`, without its row locks): up to
 * MAX_BATCH_ITEMS `{ accountId, delta, reason }` items, applied in atomic chunks.
 *
 * - An item is two writes in one transaction: the balance change (a debit guarded by `balance >= -delta`, so no
 *   balance goes below 0; a credit guarded to land on an account) and its ledger entry, inserted only if absent
 *   under the id `batch:{batchId}:{index}`. That entry is the item's marker: it exists exactly when the item's
 *   balance change committed, so no re-send, retry or concurrent run can apply an item twice.
 * - A chunk is at most ITEMS_PER_CHUNK items = 100 writes (DynamoDB's TransactWriteItems limit; MongoDB is
 *   chunked the same way), and never holds one account twice (a transaction writes each document once).
 * - A refused item (INSUFFICIENT_BALANCE, ACCOUNT_NOT_FOUND) is taken out of its chunk and the rest runs again.
 *   Its refusal is recorded as its marker too (a ledger entry with `delta: 0`, `requested` and `refused`), so
 *   every item has exactly one ledger entry and one fate: no later or concurrent run can apply a refused item,
 *   and a run that applied it first wins over a refusal.
 * - The header `batches/{batchId}` holds the hash of the items (a re-send with other items is refused) and,
 *   field `c{k}`, what chunk k did, written once after the chunk is decided: a re-send reports those chunks
 *   without running them. The header is a report; the ledger entries are the truth. A crash between a chunk
 *   and its report costs one refused transaction and a read of the chunk's markers on the re-send.
 * - The work stops before the deadline (minus DEADLINE_RESERVE_MS) or when contention outlasts its retries,
 *   and the answer says `complete: false` with the items still `pending`: sending the same batch again
 *   finishes it.
 *
 * Errors: IDEMPOTENCY_KEY_REUSED (the batchId was used with other items), INTERNAL, SERVICE_UNAVAILABLE
 * (the header could not be read or written).
 */
import { ACCOUNTS, BATCHES, LEDGER } from '../collections';
import { AppError, isAppError } from '../errors';
import { canonicalJson, sha256Hex } from '../hash';
import type { Doc, TxWrite } from '../store';
import { transactUntilDecided } from './contention';
import type { OperationDeps } from './deps';

export const MAX_BATCH_ITEMS = 1_000;
/** Two writes per item: 50 items are 100 writes, DynamoDB's TransactWriteItems limit. */
export const ITEMS_PER_CHUNK = 50;
/** Time kept back from the deadline for one more chunk and the answer. */
export const DEADLINE_RESERVE_MS = 1_500;

export interface AdjustItem {
  accountId: string;
  /** Minor units, a non-zero safe integer: negative debits, positive credits. */
  delta: number;
  reason: string;
}

export interface BatchAdjustInput {
  batchId: string;
  items: AdjustItem[];
  /** The verified caller (an admin or a trusted server), recorded with every ledger entry. */
  by: string;
  deadline: number;
}

export type RefusalCode = 'INSUFFICIENT_BALANCE' | 'ACCOUNT_NOT_FOUND';

export type ItemOutcome = { index: number; accountId: string; delta: number } & (
  | { status: 'applied' }
  | { status: 'refused'; error: RefusalCode }
  | { status: 'pending' }
);

export interface BatchAdjustOutcome {
  batchId: string;
  /** False when the deadline or contention stopped the work: send the same batch again to finish it. */
  complete: boolean;
  applied: number;
  refused: number;
  pending: number;
  items: ItemOutcome[];
}

/** What a chunk did, as the header keeps it. */
interface ChunkReport {
  applied: number[];
  refused: Array<{ i: number; error: RefusalCode }>;
}

export const ledgerIdOf = (batchId: string, index: number) => `batch:${batchId}:${index}`;

/**
 * The items' indices in chunks: in order, at most ITEMS_PER_CHUNK each, a new chunk whenever an account
 * would appear twice. Pure and deterministic, so every re-send of a batch cuts the same chunks.
 */
export function chunkItems(items: AdjustItem[]): number[][] {
  const chunks: number[][] = [];
  let current: number[] = [];
  let accounts = new Set<string>();
  items.forEach((item, index) => {
    if (current.length === ITEMS_PER_CHUNK || accounts.has(item.accountId)) {
      chunks.push(current);
      current = [];
      accounts = new Set();
    }
    current.push(index);
    accounts.add(item.accountId);
  });
  if (current.length > 0) chunks.push(current);
  return chunks;
}

/** Applies what is missing of the batch and reports every item. See the file comment for the errors. */
export async function batchAdjust(deps: OperationDeps, input: BatchAdjustInput): Promise<BatchAdjustOutcome> {
  const header = await openHeader(deps, input);
  const chunks = chunkItems(input.items);
  const reports: Array<ChunkReport | undefined> = chunks.map((_, k) => header[`c${k}`] as ChunkReport | undefined);
  let stopped = false;
  for (const [k, chunk] of chunks.entries()) {
    if (reports[k] || stopped) continue;
    if (deps.now() + DEADLINE_RESERVE_MS >= input.deadline) {
      stopped = true;
      continue;
    }
    try {
      reports[k] = await recordChunk(deps, input.batchId, k, await runChunk(deps, input, chunk));
    } catch (err) {
      // Contention or an unavailable database outlasted the retries: stop here, report, let a re-send finish.
      if (!isAppError(err) || !err.retryable) throw err;
      deps.log('warn', { op: 'batchAdjust', batchId: input.batchId, chunk: k, stoppedBy: err.code });
      stopped = true;
    }
  }
  return outcome(input, chunks, reports);
}

/** The header: created with the items' hash, or found with the same hash. */
async function openHeader(deps: OperationDeps, input: BatchAdjustInput): Promise<Doc> {
  const itemsHash = sha256Hex(canonicalJson(input.items));
  const created = await deps.store.insert(BATCHES, {
    id: input.batchId,
    itemsHash,
    count: input.items.length,
    by: input.by,
    createdAt: new Date(deps.now()).toISOString(),
  });
  if (created.ok) return created.doc;
  const existing = created.current ?? (await deps.store.get(BATCHES, input.batchId));
  if (!existing) throw new AppError('INTERNAL', `batch ${input.batchId} header vanished`);
  if (existing.itemsHash !== itemsHash) {
    throw new AppError('IDEMPOTENCY_KEY_REUSED', 'this batchId was used with other items');
  }
  return existing;
}

/**
 * Runs one chunk until every item is applied or refused: at most chunk.length + 1 transactions (each refusal
 * or found marker takes at least one item out), each retried on contention by transactUntilDecided.
 */
async function runChunk(deps: OperationDeps, input: BatchAdjustInput, chunk: number[]): Promise<ChunkReport> {
  const report: ChunkReport = { applied: [], refused: [] };
  let remaining = chunk;
  const createdAt = new Date(deps.now()).toISOString();
  while (remaining.length > 0) {
    const writes = remaining.flatMap((i) => itemWrites(input, i, createdAt));
    const { result } = await transactUntilDecided(() => deps.store.transact(writes, { deadline: input.deadline }), {
      maxAttempts: deps.policies.transactionAttempts,
      deadline: input.deadline,
      deps,
    });
    if (result.ok) {
      report.applied.push(...remaining);
      break;
    }
    const label = result.label ?? '';
    const index = Number(label.slice(1));
    if (label.startsWith('a')) {
      // Refused: record the refusal as the item's marker, so that no other run can apply it later (and a run
      // that applied it first wins: the marker says so).
      const marker = await markRefused(deps, input, index, refusalOf(result, input.items[index]!), createdAt);
      settle(report, index, marker);
      remaining = remaining.filter((i) => i !== index);
    } else if (label.startsWith('l')) {
      // An earlier or concurrent run decided this item (and maybe others): read which markers exist.
      const markers = await Promise.all(remaining.map((i) => deps.store.get(LEDGER, ledgerIdOf(input.batchId, i))));
      remaining.forEach((i, n) => {
        const marker = markers[n];
        if (marker) settle(report, i, marker);
      });
      remaining = remaining.filter((_, n) => !markers[n]);
    } else {
      throw new AppError('INTERNAL', `batch ${input.batchId}: a transaction failed at ${JSON.stringify(label)}`);
    }
  }
  report.applied.sort((a, b) => a - b);
  report.refused.sort((a, b) => a.i - b.i);
  return report;
}

/** Records item `i` as refused (a ledger entry with `delta: 0`), unless a marker exists; returns the marker. */
async function markRefused(deps: OperationDeps, input: BatchAdjustInput, i: number, error: RefusalCode, createdAt: string): Promise<Doc> {
  const [, ledger] = itemWrites(input, i, createdAt);
  if (ledger?.kind !== 'insert') throw new AppError('INTERNAL', 'a batch item has no ledger entry');
  const doc = { ...ledger.doc, delta: 0, requested: input.items[i]!.delta, refused: error };
  const out = await deps.store.insert(LEDGER, doc);
  if (out.ok) return out.doc;
  const current = out.current ?? (await deps.store.get(LEDGER, doc.id));
  if (!current) throw new AppError('INTERNAL', `batch ${input.batchId}: marker ${doc.id} vanished`);
  return current;
}

/** Files item `i` under what its marker says: refused (with the code) or applied. */
function settle(report: ChunkReport, i: number, marker: Doc): void {
  if (typeof marker.refused === 'string') report.refused.push({ i, error: marker.refused as RefusalCode });
  else report.applied.push(i);
}

function refusalOf(result: { reason: string; current?: Doc }, item: AdjustItem): RefusalCode {
  const isAccount = result.current !== undefined && typeof result.current.balance === 'number';
  return result.reason === 'guard_failed' && isAccount && item.delta < 0 ? 'INSUFFICIENT_BALANCE' : 'ACCOUNT_NOT_FOUND';
}

/** The two writes of item `i`, labelled `a{i}` (the balance) and `l{i}` (its ledger entry, the marker). */
export function itemWrites(input: Pick<BatchAdjustInput, 'batchId' | 'items' | 'by'>, i: number, createdAt: string): TxWrite[] {
  const item = input.items[i]!;
  // A debit never takes a balance below 0; a credit lands only on a document with a numeric balance.
  const floor = item.delta < 0 ? -item.delta : Number.MIN_SAFE_INTEGER;
  return [
    {
      kind: 'update',
      label: `a${i}`,
      collection: ACCOUNTS,
      id: item.accountId,
      spec: { guards: [{ field: 'balance', op: 'gte', value: floor }], inc: { balance: item.delta } },
    },
    {
      kind: 'insert',
      label: `l${i}`,
      collection: LEDGER,
      doc: {
        id: ledgerIdOf(input.batchId, i),
        batchId: input.batchId,
        index: i,
        accountId: item.accountId,
        delta: item.delta,
        reason: item.reason,
        uid: input.by,
        createdAt,
      },
    },
  ];
}

/** Writes chunk k's report once; a concurrent run that reported first wins, and its report is the answer. */
async function recordChunk(deps: OperationDeps, batchId: string, k: number, report: ChunkReport): Promise<ChunkReport> {
  const field = `c${k}`;
  const out = await deps.store.update(BATCHES, batchId, {
    guards: [{ field, op: 'notExists' }],
    set: { [field]: { applied: report.applied, refused: report.refused } },
  });
  if (out.ok) return report;
  if (out.reason === 'guard_failed') return out.current[field] as ChunkReport;
  throw new AppError('INTERNAL', `batch ${batchId} header could not take chunk ${k}: ${out.reason}`);
}

function outcome(input: BatchAdjustInput, chunks: number[][], reports: Array<ChunkReport | undefined>): BatchAdjustOutcome {
  const items: ItemOutcome[] = input.items.map((item, index) => ({
    index,
    accountId: item.accountId,
    delta: item.delta,
    status: 'pending',
  }));
  for (const [k] of chunks.entries()) {
    const report = reports[k];
    if (!report) continue;
    for (const i of report.applied) items[i] = { ...items[i]!, status: 'applied' };
    for (const { i, error } of report.refused) items[i] = { ...items[i]!, status: 'refused', error };
  }
  const count = (status: ItemOutcome['status']) => items.filter((item) => item.status === status).length;
  const pending = count('pending');
  return { batchId: input.batchId, complete: pending === 0, applied: count('applied'), refused: count('refused'), pending, items };
}
