/**
 * Adopting existing data (the end of seed 001): what a document needs before lockless may serve it, decided
 * without a driver. The adapters' migrators (adapters/<backend>/migrate.ts) scan a collection and, for each
 * document this file calls convertible, add `version: 1` with one guarded write: only if the document still
 * has no version and is still exactly what was read. Any write through the port in the meantime adds a
 * version itself (every port write bumps it, from nothing to 1), so a document changed by the functions during
 * the migration is skipped, never overwritten; the migration is safe to run twice and while traffic is served.
 *
 * What the port does with a document that has no version: a read (`get`) refuses it with AppError INTERNAL
 * ("run npm run migrate"; the client sees a plain 500 and a request id), so no compare-and-swap is ever built
 * on a missing version. A guard-only write (a field guard, an element guard) still applies and bumps the
 * version to 1, which migrates that document as a side effect.
 */

/** Fields holding money or counts, per collection: integers in minor units, or the document is not converted. */
export const INTEGER_FIELDS: Readonly<Record<string, readonly string[]>> = {
  accounts: ['balance'],
  products: ['price', 'stock', 'sold'],
  orders: ['price', 'amount', 'quantity'],
  ledger: ['amount', 'delta'],
};

export type MigrationVerdict =
  | { action: 'convert' }
  | { action: 'skip'; why: 'already-versioned' }
  | { action: 'refuse'; problems: Array<{ field: string; problem: string }> };

/** What the migration does with one stored document (its fields as the driver returns them). */
export function migrationVerdict(collection: string, doc: Record<string, unknown>): MigrationVerdict {
  if (doc.version !== undefined) {
    return Number.isSafeInteger(doc.version) && (doc.version as number) >= 1
      ? { action: 'skip', why: 'already-versioned' }
      : { action: 'refuse', problems: [{ field: 'version', problem: 'is not a positive integer' }] };
  }
  const problems: Array<{ field: string; problem: string }> = [];
  for (const field of INTEGER_FIELDS[collection] ?? []) {
    const value = doc[field];
    if (value === undefined) continue;
    if (typeof value === 'number' && Number.isSafeInteger(value)) continue;
    problems.push({ field, problem: `must be an integer in minor units, found ${describe(value)}` });
  }
  return problems.length > 0 ? { action: 'refuse', problems } : { action: 'convert' };
}

function describe(value: unknown): string {
  if (typeof value === 'number') return `the number ${value}`;
  if (typeof value === 'string') return 'a string';
  if (value && typeof value === 'object') return `a ${(value as { _bsontype?: string })._bsontype ?? 'object'}`;
  return typeof value;
}

/** What one run of the migration did; `refused` lists documents left untouched and why. */
export interface MigrationReport {
  collection: string;
  scanned: number;
  converted: number;
  alreadyVersioned: number;
  /** Changed (or versioned by a function) between the scan and the guarded write: left as they are. */
  changedMeanwhile: number;
  refused: Array<{ id: string; problems: Array<{ field: string; problem: string }> }>;
}

export const emptyReport = (collection: string): MigrationReport => ({
  collection,
  scanned: 0,
  converted: 0,
  alreadyVersioned: 0,
  changedMeanwhile: 0,
  refused: [],
});
