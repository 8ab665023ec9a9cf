/**
 * The CloudFormation tables serverless.yml deploys: one per collection of shared/collections.json, named by the
 * same rule the store uses, with TTL exactly where a collection declares a ttlField.
 */
import collections from '../../../shared/collections.json';

interface TableResource {
  Type: string;
  Properties: {
    TableName: string;
    KeySchema: unknown;
    BillingMode: string;
    PointInTimeRecoverySpecification?: { PointInTimeRecoveryEnabled: boolean };
    TimeToLiveSpecification?: { AttributeName: string; Enabled: boolean };
  };
}

type ServerlessContext = { options?: { stage?: string }; resolveVariable?: (v: string) => Promise<string> };

/** The module is itself the function serverless.yml's `${file(...)}` calls, with the helpers attached. */
interface CloudFormationModule {
  (context: ServerlessContext): Promise<{ Resources: Record<string, TableResource> }>;
  tablePrefix(stage: string): string;
  tableName(stage: string, collection: string): string;
  tableLogicalId(collection: string): string;
  tableResources(stage: string): Record<string, TableResource>;
  tableArns(): Array<{ 'Fn::GetAtt': [string, string] }>;
  resources(context: ServerlessContext): Promise<{ Resources: Record<string, TableResource> }>;
}

// Plain CommonJS without type declarations: required, then given the shape this test relies on.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const cf = require('../../../scripts/serverless/tables.cjs') as CloudFormationModule;

const names = Object.keys(collections);
const shapes = collections as Record<string, { ttlField?: string }>;

describe('cloudformation tables', () => {
  it('declares one on-demand table per collection, keyed by id, with point-in-time recovery', () => {
    const resources = cf.tableResources('prod');

    expect(Object.keys(resources).sort()).toEqual(names.map(cf.tableLogicalId).sort());
    for (const collection of names) {
      const table = resources[cf.tableLogicalId(collection)]!;
      expect(table.Type).toBe('AWS::DynamoDB::Table');
      expect(table.Properties).toMatchObject({
        TableName: `lockless-prod-${collection}`,
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      });
    }
  });

  it('enables TTL exactly on the collections that declare a ttlField', () => {
    const resources = cf.tableResources('dev');

    for (const collection of names) {
      const ttl = resources[cf.tableLogicalId(collection)]!.Properties.TimeToLiveSpecification;
      const field = shapes[collection]!.ttlField;
      expect(ttl).toEqual(field ? { AttributeName: field, Enabled: true } : undefined);
    }
    expect(resources.IdempotencyTable!.Properties.TimeToLiveSpecification).toEqual({ AttributeName: 'expiresAt', Enabled: true });
  });

  it('keeps names and logical ids in one rule each', () => {
    expect(cf.tableLogicalId('products')).toBe('ProductsTable');
    expect(cf.tableName('dev', 'carts')).toBe(`${cf.tablePrefix('dev')}carts`);
    expect(cf.tableArns()).toContainEqual({ 'Fn::GetAtt': ['ProductsTable', 'Arn'] });
    expect(cf.tableArns()).toHaveLength(names.length);
    expect(() => cf.tablePrefix('a b')).toThrow(/invalid stage/);
  });

  it('resolves the stage the way serverless.yml calls it', async () => {
    // `resources: ${file(./scripts/serverless/tables.cjs)}` calls the module itself.
    const fromOption = await cf({ options: { stage: 'staging' } });
    expect(fromOption.Resources.ProductsTable!.Properties.TableName).toBe('lockless-staging-products');

    const fromVariable = await cf.resources({ options: {}, resolveVariable: async () => 'qa' });
    expect(fromVariable.Resources.OrdersTable!.Properties.TableName).toBe('lockless-qa-orders');
    expect(Object.keys(fromVariable)).toEqual(['Resources']);
  });
});
