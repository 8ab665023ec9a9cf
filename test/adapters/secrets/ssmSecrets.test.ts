/**
 * The SSM reader as the functions use it: the real AWS SDK client through Powertools, sent to a stand-in for
 * SSM on a loopback port (test/support/fakeSsm.ts), so the request it builds is checked, not assumed.
 */
import { ssmSecretReader } from '../../../adapters/secrets/ssmSecrets';
import { startFakeSsm, type FakeSsm } from '../../support/fakeSsm';

describe('ssmSecretReader', () => {
  let ssm: FakeSsm;
  beforeAll(async () => {
    ssm = await startFakeSsm({ '/lockless/test/secret': 's3cret-value' });
  });
  afterAll(() => ssm.close());

  const reader = () =>
    ssmSecretReader({ endpoint: ssm.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });

  it('asks GetParameter for the decrypted SecureString, once, and caches the value', async () => {
    const read = reader();
    expect(await read('/lockless/test/secret')).toBe('s3cret-value');
    expect(await read('/lockless/test/secret')).toBe('s3cret-value');
    expect(ssm.requests).toEqual([{ target: 'AmazonSSM.GetParameter', body: { Name: '/lockless/test/secret', WithDecryption: true } }]);
  });

  it('fails for a parameter that does not exist', async () => {
    await expect(reader()('/lockless/test/missing')).rejects.toThrow();
  });
});
