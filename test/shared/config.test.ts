import { backendFrom, readConfig, setting } from '../../shared/config';

describe('configuration', () => {
  it('reads LOCKLESS_ names and accepts the old unprefixed ones only when the new one is unset', () => {
    expect(setting('LOCKLESS_MONGODB_URI', { MONGODB_URI: 'mongodb://old' })).toBe('mongodb://old');
    expect(setting('LOCKLESS_MONGODB_URI', { LOCKLESS_MONGODB_URI: 'mongodb://new', MONGODB_URI: 'mongodb://old' })).toBe('mongodb://new');
    // serverless.yml writes '' for "none": empty is unset, so it does not hide an old name.
    expect(setting('LOCKLESS_DYNAMODB_ENDPOINT', { LOCKLESS_DYNAMODB_ENDPOINT: '', DYNAMODB_ENDPOINT: 'http://old:8000' })).toBe(
      'http://old:8000',
    );
    expect(setting('LOCKLESS_DYNAMODB_ENDPOINT', {})).toBeUndefined();
  });

  it("builds the functions' configuration from one environment, defaults included", () => {
    const config = readConfig({
      LOCKLESS_BACKEND: 'mongodb',
      MONGODB_URI_PARAMETER: '/p',
      LOCKLESS_DB_MAX_SOCKETS: '7',
      LOCKLESS_STAGE: 'prod',
    });
    expect(config).toMatchObject({
      backend: 'mongodb',
      bundled: false,
      stage: 'prod',
      trustedCallerSecret: { value: undefined, parameter: undefined },
      mongodb: { uri: { value: undefined, parameter: '/p' }, dbName: 'lockless', maxPoolSize: 7 },
      dynamodb: { endpoint: undefined, tablePrefix: 'lockless-dev-', maxSockets: 7, connectTimeoutMs: 1_000 },
    });
    expect(readConfig({}).backend).toBe('dynamodb');
    expect(readConfig({ LOCKLESS_DB_CONNECT_TIMEOUT_MS: 'soon' }).dynamodb.connectTimeoutMs).toBe(1_000);
  });

  it('takes BACKEND as the alias of LOCKLESS_BACKEND for the tools, and refuses the two disagreeing', () => {
    expect(backendFrom({})).toBe('dynamodb');
    expect(backendFrom({ BACKEND: 'mongodb' })).toBe('mongodb');
    expect(backendFrom({ LOCKLESS_BACKEND: 'mongodb', BACKEND: 'mongodb' })).toBe('mongodb');
    expect(() => backendFrom({ LOCKLESS_BACKEND: 'dynamodb', BACKEND: 'mongodb' })).toThrow(/disagree/);
    expect(() => backendFrom({ BACKEND: 'postgres' })).toThrow(/dynamodb or mongodb/);
    // The functions never read the alias: their tools set LOCKLESS_BACKEND.
    expect(readConfig({ BACKEND: 'mongodb' }).backend).toBe('dynamodb');
  });
});
