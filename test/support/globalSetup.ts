/**
 * Starts the real database servers once for the whole test run: DynamoDB Local (in memory) and a MongoDB
 * single-node replica set. `LOCKLESS_DYNAMODB_ENDPOINT` and `LOCKLESS_MONGODB_URI` (or their old unprefixed names), when set, point at servers the user runs
 * instead, and nothing is started for them. Workers find the servers through the environment.
 */
import { setting } from '../../shared/config';
import { startDynamoDbLocal, type DynamoDbLocalHandle } from '../../tools/servers/dynamodbLocal';
import { startMongo, type MongoHandle } from '../../tools/servers/mongod';

export interface TestServers {
  dynamo?: DynamoDbLocalHandle;
  mongo?: MongoHandle;
}

declare global {
  // eslint-disable-next-line no-var
  var __locklessServers: TestServers | undefined;
}

export default async function globalSetup(): Promise<void> {
  // See testEnv.ts: the SDK's Node 22 notice concerns deployments, not tests.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const started: TestServers = {};
  globalThis.__locklessServers = started;
  const log = (line: string) => process.stderr.write(`[test servers] ${line}\n`);
  const t0 = Date.now();
  const external = setting('LOCKLESS_DYNAMODB_ENDPOINT');
  const [dynamo, mongo] = await Promise.allSettled([external ? Promise.resolve(undefined) : startDynamoDbLocal(), startMongo({ log })]);
  if (dynamo.status === 'fulfilled' && dynamo.value) started.dynamo = dynamo.value;
  if (mongo.status === 'fulfilled') started.mongo = mongo.value;
  if (dynamo.status === 'rejected' || mongo.status === 'rejected') {
    await Promise.allSettled([started.dynamo?.stop(), started.mongo?.stop()]);
    throw dynamo.status === 'rejected' ? dynamo.reason : (mongo as PromiseRejectedResult).reason;
  }
  process.env.LOCKLESS_TEST_DYNAMODB_ENDPOINT = external ?? started.dynamo!.endpoint;
  process.env.LOCKLESS_TEST_MONGODB_URI = started.mongo!.uri;
  log(
    `DynamoDB ${process.env.LOCKLESS_TEST_DYNAMODB_ENDPOINT}${started.dynamo ? ` (pid ${started.dynamo.pid})` : ' (external)'}, ` +
      `MongoDB ${started.mongo!.kind}${started.mongo!.pid ? ` (pid ${started.mongo!.pid})` : ''}, ready in ${Date.now() - t0} ms`,
  );
}
