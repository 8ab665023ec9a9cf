/**
 * Finding 5 of issue 10: a deployed function reads the trusted-caller secret from an SSM SecureString
 * parameter (LOCKLESS_TRUSTED_CALLER_SECRET_PARAMETER), once, when the container loads; it never needs the
 * value in its configuration. SSM is a stand-in on a loopback port, reached by the real SDK client through
 * AWS_ENDPOINT_URL_SSM.
 */
import { invoke, trustedCallerContext } from '../support/events';
import { startFakeSsm, type FakeSsm } from '../support/fakeSsm';
import { backendEnv, loadFunctions, type LoadedFunctions } from '../support/functions';
import { BACKENDS, backendFixture, type BackendFixture } from '../support/stores';

const SECRET = 'secret-held-in-ssm-0123456789abcdefghij';
const PARAMETER = '/lockless/test/trusted-caller-secret';
const SDK_ENV = { AWS_ENDPOINT_URL_SSM: '', AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 'local', AWS_SECRET_ACCESS_KEY: 'local' };

describe.each(BACKENDS)('secrets from SSM on %s', (backend) => {
  let fixture: BackendFixture;
  let fns: LoadedFunctions;
  let ssm: FakeSsm;
  const saved: Record<string, string | undefined> = {};

  beforeAll(async () => {
    ssm = await startFakeSsm({ [PARAMETER]: SECRET });
    // The SDK resolves its endpoint and credentials when it sends, after loading: these stay set for the file.
    for (const [key, value] of Object.entries({ ...SDK_ENV, AWS_ENDPOINT_URL_SSM: ssm.endpoint })) {
      saved[key] = process.env[key];
      process.env[key] = value;
    }
    fixture = await backendFixture(backend, 'secrets');
    fns = loadFunctions(['transfer'], {
      ...backendEnv(backend, fixture),
      LOCKLESS_TRUSTED_CALLER_SECRET: undefined,
      LOCKLESS_TRUSTED_CALLER_SECRET_PARAMETER: PARAMETER,
    });
    await fixture.store.insert('accounts', { id: 'acc-a', owner: 'alice', balance: 100 });
    await fixture.store.insert('accounts', { id: 'acc-b', owner: 'bob', balance: 0 });
  });
  afterAll(async () => {
    await fns?.close();
    await fixture?.cleanup();
    await ssm?.close();
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  });

  it("accepts assertions signed with the parameter's value, having read it once for the container", async () => {
    for (let i = 0; i < 3; i++) {
      const answer = await invoke(
        fns.handler('transfer'),
        { from: 'acc-a', to: 'acc-b', amount: 1 },
        trustedCallerContext(SECRET, 'alice'),
      );
      expect(answer).toMatchObject({ code: 200 });
    }
    const wrong = await invoke(
      fns.handler('transfer'),
      { from: 'acc-a', to: 'acc-b', amount: 1 },
      trustedCallerContext('some-other-secret-0123456789abcdefghij', 'alice'),
    );
    expect(wrong).toMatchObject({ code: 401 });
    expect(ssm.requests).toEqual([{ target: 'AmazonSSM.GetParameter', body: { Name: PARAMETER, WithDecryption: true } }]);
    expect((await fixture.store.get('accounts', 'acc-b'))?.balance).toBe(3);
  });
});
