/**
 * npm start: build the bundles, start the database (DynamoDB Local in memory by default, MongoDB with
 * LOCKLESS_BACKEND=mongodb or its alias BACKEND=mongodb), create tables, seed the demo data, and serve the
 * functions with serverless-offline on port 3000 (LOCKLESS_PORT) and the demo page (scripts/local/demoServer.ts)
 * on port 3100 (LOCKLESS_DEMO_PORT). Ctrl-C stops everything this command started.
 */
import { buildAll } from '../esbuild.config.mjs';
import { backendFrom, intSetting, setting } from '../shared/config';
import { startLocalBackend, writeLocalBackend, type LocalBackend } from './local/backend';
import { HTTP_PORT, LAMBDA_PORT, LOCAL_TABLE_PREFIX } from './local/config';
import { startOffline, type OfflineHandle } from './local/offline';
import { buildClientBundle, demoOrigins, demoPort, startDemoServer, type DemoServer } from './local/demoServer';

const log = (line: string) => console.log(`[lockless] ${line}`);

// The SDK's notice that its 2027 releases need Node 22 concerns deployments (serverless.yml runs Node 22), not
// this local run.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

async function main(): Promise<void> {
  const backend = backendFrom(process.env);

  log(`building bundles for ${backend}`);
  await buildAll({ backend, quiet: true });
  await buildClientBundle(); // the demo page imports client/dist/index.mjs
  const pagePort = demoPort();

  let db: LocalBackend | undefined;
  let offline: OfflineHandle | undefined;
  let demo: DemoServer | undefined;
  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    log('stopping');
    await demo?.close().catch(() => {});
    await offline?.stop().catch(() => {});
    await db?.stop().catch(() => {});
    process.exit(code);
  };
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));

  try {
    db = await startLocalBackend(backend, { tablePrefix: LOCAL_TABLE_PREFIX, dbName: 'lockless', log });
    // `npm run reconcile` (scripts/reconcile.ts) finds this run's database here.
    writeLocalBackend(db.env);
    offline = await startOffline({
      httpPort: intSetting('LOCKLESS_PORT', HTTP_PORT),
      lambdaPort: intSetting('LOCKLESS_LAMBDA_PORT', LAMBDA_PORT),
      host: setting('LOCKLESS_HOST') ?? 'localhost',
      // CORS for the demo page's origins, unless LOCKLESS_CORS_ORIGINS says otherwise (scripts/serverless/cors.cjs).
      env: { ...db.env, LOCKLESS_CORS_ORIGINS: process.env.LOCKLESS_CORS_ORIGINS ?? demoOrigins(pagePort).join(',') },
      echo: true,
    });
    demo = await startDemoServer({ port: pagePort, apiUrl: offline.httpUrl });
  } catch (err) {
    console.error(err instanceof Error ? err.message : err);
    await stop(1);
    return;
  }
  log(`ready: ${offline.httpUrl}  (try: curl ${offline.httpUrl}/products/1)`);
  log(`demo page: ${demo.url}  (LOCKLESS_DEMO_PORT)`);
  offline.process.once('exit', (code) => void stop(code ?? 1));
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
