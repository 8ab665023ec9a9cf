import { clearSecretCache, secret, useSecretReader } from '../../../shared/edge/secrets';

describe('secrets', () => {
  const reads: string[] = [];
  let fail = false;
  beforeEach(() => {
    reads.length = 0;
    fail = false;
    clearSecretCache();
    useSecretReader(async (name) => {
      reads.push(name);
      if (fail) throw new Error('SSM is down');
      return `value of ${name}`;
    });
  });

  it('takes a plain variable when it is set (local runs), without reading any parameter', async () => {
    expect(await secret('S', { S: 'plain', S_PARAMETER: '/p' })).toBe('plain');
    expect(reads).toEqual([]);
  });

  it('reads the named parameter once per container and caches it', async () => {
    const env = { S_PARAMETER: '/lockless/prod/s' };
    const values = await Promise.all([secret('S', env), secret('S', env), secret('S', env)]);
    expect(await secret('S', env)).toBe('value of /lockless/prod/s');
    expect(values).toEqual(Array(3).fill('value of /lockless/prod/s'));
    expect(reads).toEqual(['/lockless/prod/s']);
  });

  it('is undefined when neither is set', async () => {
    expect(await secret('S', {})).toBeUndefined();
    expect(reads).toEqual([]);
  });

  it('tries a failed read again on the next call instead of caching the failure', async () => {
    fail = true;
    await expect(secret('S', { S_PARAMETER: '/p' })).rejects.toThrow('SSM is down');
    fail = false;
    expect(await secret('S', { S_PARAMETER: '/p' })).toBe('value of /p');
    expect(reads).toEqual(['/p', '/p']);
  });
});
