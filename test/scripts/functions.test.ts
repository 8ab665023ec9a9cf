/** The deployed functions block (scripts/serverless/functions.cjs): transports, scopes, reserved concurrency. */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const deployed = require('../../scripts/serverless/functions.cjs') as {
  OPERATIONS: Record<string, unknown>;
  SCHEDULED: Record<string, unknown>;
  functionsFor(
    env: Record<string, string>,
  ): Record<string, { handler: string; reservedConcurrency?: number; events?: Array<{ httpApi: { authorizer?: { scopes?: string[] } } }> }>;
};

describe('the functions block', () => {
  it('has a direct and an HTTP function per operation, and only the HTTP one has an event', () => {
    const fns = deployed.functionsFor({});
    expect(Object.keys(fns)).toHaveLength(2 * Object.keys(deployed.OPERATIONS).length + Object.keys(deployed.SCHEDULED).length);
    expect(fns.transfer).toMatchObject({ handler: 'dist/transfer/index.handler' });
    expect(fns.transfer!.events).toBeUndefined();
    expect(fns.transferHttp).toMatchObject({
      handler: 'dist/transfer/index.httpHandler',
      events: [{ httpApi: { method: 'POST', path: '/transfers' } }],
    });
  });

  it('runs maintenance every minute on a schedule, with no route and no HTTP twin', () => {
    const fns = deployed.functionsFor({});
    expect(fns.maintenance).toMatchObject({ handler: 'dist/maintenance/index.handler', events: [{ schedule: 'rate(1 minute)' }] });
    expect(fns.maintenanceHttp).toBeUndefined();
  });

  it('sets reserved concurrency per function from LOCKLESS_RESERVED_CONCURRENCY', () => {
    const fns = deployed.functionsFor({ LOCKLESS_RESERVED_CONCURRENCY: 'transferHttp=50, purchase=5' });
    expect([fns.transferHttp!.reservedConcurrency, fns.purchase!.reservedConcurrency, fns.transfer!.reservedConcurrency]).toEqual([
      50,
      5,
      undefined,
    ]);
    expect(() => deployed.functionsFor({ LOCKLESS_RESERVED_CONCURRENCY: 'transferHtp=5' })).toThrow(/not a function/);
    expect(() => deployed.functionsFor({ LOCKLESS_RESERVED_CONCURRENCY: 'transfer=lots' })).toThrow(/<function>=<count>/);
  });

  it('requires the configured JWT scopes on every route that needs an identity, and none on the public one', () => {
    const fns = deployed.functionsFor({ JWT_AUTHORIZATION_SCOPES: 'lockless/api, lockless/write' });
    expect(fns.transferHttp!.events![0]!.httpApi.authorizer).toEqual({ name: 'jwtAuth', scopes: ['lockless/api', 'lockless/write'] });
    expect(fns.getProductHttp!.events![0]!.httpApi.authorizer).toBeUndefined();
    expect(deployed.functionsFor({}).transferHttp!.events![0]!.httpApi.authorizer).toEqual({ name: 'jwtAuth' });
  });
});
