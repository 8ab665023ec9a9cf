/**
 * npm run migrate -- --collection <name> [--backend dynamodb|mongodb]: prepares existing documents of one
 * collection for lockless (shared/migration.ts): adds `version: 1` where it is missing, with a guarded write
 * that skips documents changed meanwhile, and reports documents it cannot convert (money stored as a float, a
 * string or a Decimal128) without touching them. Safe to run twice and while the functions serve traffic.
 *
 * Connection settings are the functions' own (LOCKLESS_DYNAMODB_ENDPOINT, LOCKLESS_TABLE_PREFIX,
 * LOCKLESS_MONGODB_URI, LOCKLESS_MONGODB_DB); the backend defaults to LOCKLESS_BACKEND / BACKEND.
 * Prints the report as JSON. Exit status: 0 when every document is versioned now, 1 when some were refused or
 * changed meanwhile (run it again after fixing them), 2 for a usage error.
 */
import { COLLECTION_NAMES } from '../shared/collections';
import { backendFrom, dynamoSettings, mongoSettings } from '../shared/config';
import type { MigrationReport } from '../shared/migration';

function usage(problem: string): never {
  console.error(`${problem}\nusage: npm run migrate -- --collection <${COLLECTION_NAMES.join('|')}> [--backend dynamodb|mongodb]`);
  process.exit(2);
}

function option(args: string[], name: string): string | undefined {
  const at = args.indexOf(name);
  if (at === -1) return undefined;
  const value = args[at + 1];
  if (value === undefined || value.startsWith('--')) usage(`${name} needs a value`);
  return value;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const collection = option(args, '--collection');
  if (!collection) usage('--collection is required');
  if (!(COLLECTION_NAMES as string[]).includes(collection)) usage(`unknown collection ${JSON.stringify(collection)}`);
  const backend = option(args, '--backend') ?? backendFrom();
  if (backend !== 'dynamodb' && backend !== 'mongodb') usage('--backend must be dynamodb or mongodb');

  let report: MigrationReport;
  if (backend === 'mongodb') {
    const settings = mongoSettings();
    if (!settings.uri.value) usage('LOCKLESS_MONGODB_URI is not set');
    const { createMongoClient } = await import('../adapters/mongodb');
    const { migrateMongoCollection } = await import('../adapters/mongodb/migrate');
    const client = createMongoClient(settings.uri.value);
    try {
      report = await migrateMongoCollection(client.db(settings.dbName), collection);
    } finally {
      await client.close();
    }
  } else {
    const settings = dynamoSettings();
    const { createDynamoDocumentClient } = await import('../adapters/dynamodb');
    const { migrateDynamoTable } = await import('../adapters/dynamodb/migrate');
    const client = createDynamoDocumentClient({ endpoint: settings.endpoint, requestTimeoutMs: 30_000, maxAttempts: 3 });
    try {
      report = await migrateDynamoTable(client, settings.tablePrefix + collection, collection);
    } finally {
      client.destroy();
    }
  }
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  process.exitCode = report.refused.length > 0 || report.changedMeanwhile > 0 ? 1 : 0;
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
