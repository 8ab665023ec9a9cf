/**
 * Measures whether DynamoDB Local (file-backed) keeps acknowledged TransactWriteItems across a SIGKILL that
 * follows the acknowledgement after 0-3000 ms. Seen on 2026-11-25 with DynamoDB Local 3.3.0: an immediate kill
 * lost the last of 20 acknowledged transactions once; 2 ms or more kept all. Run: npx tsx scripts/experiments/dynamodbLocalDurability.ts
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { startDynamoDbLocal } from '../../tools/servers/dynamodbLocal';
import { ensureTables } from '../../adapters/dynamodb';
import { freePort, waitForExit } from '../../tools/servers/process';
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
(async () => {
  const dbPath = mkdtempSync(join(tmpdir(), 'ddbdur-'));
  const port = await freePort();
  for (const waitMs of [0, 0, 2, 10, 50, 200, 1000, 3000]) {
    let s = await startDynamoDbLocal({ port, dbPath });
    const raw = new DynamoDBClient({ endpoint: s.endpoint, region: 'local', credentials: { accessKeyId: 'l', secretAccessKey: 'l' } });
    await ensureTables(raw, 'd-');
    const c = DynamoDBDocumentClient.from(raw);
    const id = `w${waitMs}-${Math.random()}`;
    for (let i = 0; i < 20; i++)
      await c.send(
        new TransactWriteCommand({
          TransactItems: [
            { Put: { TableName: 'd-orders', Item: { id: `${id}-${i}` } } },
            { Put: { TableName: 'd-ledger', Item: { id: `${id}-${i}` } } },
          ],
        }),
      );
    await new Promise((r) => setTimeout(r, waitMs));
    s.process.kill('SIGKILL');
    await waitForExit(s.process, 10000);
    c.destroy();
    s = await startDynamoDbLocal({ port, dbPath });
    const c2 = DynamoDBDocumentClient.from(
      new DynamoDBClient({ endpoint: s.endpoint, region: 'local', credentials: { accessKeyId: 'l', secretAccessKey: 'l' } }),
    );
    let present = 0;
    for (let i = 0; i < 20; i++)
      if ((await c2.send(new GetCommand({ TableName: 'd-orders', Key: { id: `${id}-${i}` }, ConsistentRead: true }))).Item) present++;
    console.log('wait', waitMs, 'ms before kill: acked 20, present after restart', present);
    c2.destroy();
    await s.stop();
  }
})();
