'use strict';
/**
 * The deployed DynamoDB tables, derived from shared/collections.json (the same source adapters/dynamodb/tables.ts
 * creates local tables from). Deployment resources, not adapter code: resources.cjs (serverless.yml's
 * `resources:`) adds them to the template, and it can also be loaded on its own:
 *
 *   resources: ${file(./scripts/serverless/tables.cjs)}
 *
 * The module itself is that function: Serverless calls a function export with `{ options, resolveVariable }`
 * and uses what it returns. (With a function export, `file(...):address` addresses the function's result, so
 * the helpers attached below are for code and tests, not for `file()` addresses.)
 */
const collections = require('../../shared/collections.json');

/** Everything of one stage shares this prefix; the store's table name is prefix + collection. */
function tablePrefix(stage) {
  if (typeof stage !== 'string' || !/^[A-Za-z0-9-]+$/.test(stage)) throw new Error(`invalid stage ${JSON.stringify(stage)}`);
  return `lockless-${stage}-`;
}

function tableName(stage, collection) {
  return `${tablePrefix(stage)}${collection}`;
}

/** `products` → `ProductsTable`: the logical id IAM statements reference with Fn::GetAtt [ProductsTable, Arn]. */
function tableLogicalId(collection) {
  return `${collection.charAt(0).toUpperCase()}${collection.slice(1)}Table`;
}

/**
 * The system of record: money (accounts, ledger) and sales (orders). Deleting the stack or a mistaken change
 * that replaces one of these tables must not delete its data: CloudFormation keeps them (DeletionPolicy and
 * UpdateReplacePolicy Retain) and DynamoDB refuses DeleteTable on them (DeletionProtectionEnabled).
 */
const RETAINED = ['accounts', 'ledger', 'orders', 'rounds', 'roundEntries'];

function tableResource(stage, collection, shape) {
  const properties = {
    TableName: tableName(stage, collection),
    AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
    KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
    BillingMode: 'PAY_PER_REQUEST',
    PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
  };
  const indexes = Object.entries(shape.indexes || {});
  if (indexes.length > 0) {
    // The port's `list` indexes (shared/collections.json), as adapters/dynamodb/tables.ts creates them locally.
    const types = new Map([['id', 'S']]);
    for (const [, index] of indexes) {
      types.set(index.partition, 'S');
      types.set(index.sort, index.sortType === 'string' ? 'S' : 'N');
    }
    properties.AttributeDefinitions = [...types].map(([AttributeName, AttributeType]) => ({ AttributeName, AttributeType }));
    properties.GlobalSecondaryIndexes = indexes.map(([IndexName, index]) => ({
      IndexName,
      KeySchema: [
        { AttributeName: index.partition, KeyType: 'HASH' },
        { AttributeName: index.sort, KeyType: 'RANGE' },
      ],
      Projection: { ProjectionType: 'ALL' },
    }));
  }
  if (shape.ttlField) properties.TimeToLiveSpecification = { AttributeName: shape.ttlField, Enabled: true };
  if (!RETAINED.includes(collection)) return { Type: 'AWS::DynamoDB::Table', Properties: properties };
  properties.DeletionProtectionEnabled = true;
  return { Type: 'AWS::DynamoDB::Table', DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain', Properties: properties };
}

/** One AWS::DynamoDB::Table per collection, keyed by logical id. */
function tableResources(stage) {
  return Object.fromEntries(
    Object.entries(collections).map(([collection, shape]) => [tableLogicalId(collection), tableResource(stage, collection, shape)]),
  );
}

/** `Fn::GetAtt` of every table's Arn, for the functions' IAM statements. */
function tableArns() {
  return Object.keys(collections).map((collection) => ({ 'Fn::GetAtt': [tableLogicalId(collection), 'Arn'] }));
}

/** The stage Serverless deploys: --stage, else provider.stage, else Serverless's default (sls:stage). */
async function stageOf({ options, resolveVariable } = {}) {
  if (options && typeof options.stage === 'string') return options.stage;
  if (typeof resolveVariable === 'function') return resolveVariable('sls:stage');
  return 'dev';
}

/** The `resources:` block of serverless.yml: `{ Resources }` with every table of the stage. */
async function resources(context) {
  return { Resources: tableResources(await stageOf(context)) };
}

module.exports = Object.assign(resources, {
  resources,
  stageOf,
  RETAINED,
  tablePrefix,
  tableName,
  tableLogicalId,
  tableResources,
  tableArns,
});
