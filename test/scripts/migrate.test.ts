/** `npm run migrate` as an operator runs it: a child process on the real servers, its report and exit status. */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import {
  BACKENDS,
  backendFixture,
  dynamoEndpoint,
  mongoUri,
  type BackendFixture,
  type DynamoFixture,
  type MongoFixture,
} from '../support/stores';

const ROOT = join(__dirname, '..', '..');

describe.each(BACKENDS)('npm run migrate on %s', (backend) => {
  let fixture: BackendFixture;
  beforeAll(async () => {
    fixture = await backendFixture(backend, 'migratecli');
  });
  afterAll(async () => fixture?.cleanup());

  const env = () =>
    backend === 'dynamodb'
      ? { LOCKLESS_BACKEND: 'dynamodb', LOCKLESS_DYNAMODB_ENDPOINT: dynamoEndpoint(), LOCKLESS_TABLE_PREFIX: fixture.tablePrefix! }
      : { LOCKLESS_BACKEND: 'mongodb', LOCKLESS_MONGODB_URI: mongoUri(), LOCKLESS_MONGODB_DB: fixture.dbName! };
  const run = (...args: string[]) => {
    const out = spawnSync(
      process.execPath,
      [join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'), join(ROOT, 'scripts', 'migrate.ts'), ...args],
      {
        env: { ...process.env, ...env() },
        encoding: 'utf8',
        timeout: 60_000,
      },
    );
    return { status: out.status, report: out.status === 2 ? undefined : JSON.parse(out.stdout || 'null'), stderr: out.stderr };
  };
  async function putRaw(doc: Record<string, unknown>) {
    if (backend === 'dynamodb') {
      const f = fixture as DynamoFixture;
      await f.raw.send(new PutCommand({ TableName: `${f.tablePrefix}products`, Item: doc }));
    } else {
      const { id, ...rest } = doc;
      await (fixture as MongoFixture).client
        .db(fixture.dbName)
        .collection<{ _id: string }>('products')
        .replaceOne({ _id: id as string }, rest, { upsert: true });
    }
  }

  it('versions a collection, reports what it refused with status 1, and exits 0 once nothing is left', async () => {
    await putRaw({ id: 'p1', name: 'tea', price: 300, stock: 5 });
    await putRaw({ id: 'p2', name: 'cake', price: 2.5, stock: 1 });

    const first = run('--collection', 'products', '--backend', backend);
    expect(first.status).toBe(1);
    expect(first.report).toMatchObject({ collection: 'products', scanned: 2, converted: 1, refused: [{ id: 'p2' }] });

    await putRaw({ id: 'p2', name: 'cake', price: 250, stock: 1 });
    const second = run('--collection', 'products');
    expect(second).toMatchObject({ status: 0, report: { converted: 1, alreadyVersioned: 1, refused: [] } });
    expect(await fixture.store.get('products', 'p2')).toMatchObject({ price: 250, version: 1 });
  });

  it('refuses an unknown collection with status 2', () => {
    expect(run('--collection', 'users').status).toBe(2);
    expect(run().status).toBe(2);
  });
});
