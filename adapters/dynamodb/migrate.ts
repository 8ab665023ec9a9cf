/**
 * The migration on DynamoDB (shared/migration.ts says what and why): a consistent scan, then for each
 * convertible item one UpdateItem `SET version = 1` whose condition is "no version, and every attribute equal
 * to what was read, and no attribute added" (attribute counts cannot be compared, so an attribute added in
 * between is caught by the port's writes adding `version`, the only writers of these tables). An item that
 * changed in between fails the condition and is counted, not touched.
 */
import { ScanCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { emptyReport, migrationVerdict, type MigrationReport } from '../../shared/migration';

export interface MigrateOptions {
  /** Called between the read of an item and its guarded write (tests change the item here). */
  beforeWrite?: (id: string) => Promise<void>;
}

export async function migrateDynamoTable(
  client: DynamoDBDocumentClient,
  tableName: string,
  collection: string,
  options: MigrateOptions = {},
): Promise<MigrationReport> {
  const report = emptyReport(collection);
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const page = await client.send(new ScanCommand({ TableName: tableName, ConsistentRead: true, ExclusiveStartKey }));
    for (const item of page.Items ?? []) {
      report.scanned++;
      const id = String(item.id);
      const verdict = migrationVerdict(collection, item);
      if (verdict.action === 'skip') report.alreadyVersioned++;
      if (verdict.action === 'refuse') report.refused.push({ id, problems: verdict.problems });
      if (verdict.action !== 'convert') continue;
      await options.beforeWrite?.(id);
      const names: Record<string, string> = { '#v': 'version' };
      const values: Record<string, unknown> = { ':one': 1 };
      const same = Object.entries(item)
        .filter(([field]) => field !== 'id')
        .map(([field, value], n) => {
          names[`#f${n}`] = field;
          values[`:f${n}`] = value;
          return `#f${n} = :f${n}`;
        });
      try {
        await client.send(
          new UpdateCommand({
            TableName: tableName,
            Key: { id: item.id },
            UpdateExpression: 'SET #v = :one',
            ConditionExpression: ['attribute_exists(id)', 'attribute_not_exists(#v)', ...same].join(' AND '),
            ExpressionAttributeNames: names,
            ExpressionAttributeValues: values,
          }),
        );
        report.converted++;
      } catch (err) {
        if ((err as { name?: string }).name !== 'ConditionalCheckFailedException') throw err;
        report.changedMeanwhile++;
      }
    }
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return report;
}
