/**
 * `serverless package` for a stage other than dev refuses local-only settings (issue 10, finding 5): a
 * DynamoDB endpoint, the default JWT issuer, and secrets passed by value. The rule is unit-tested; one real
 * `serverless package` shows the plugin is wired into serverless.yml and stops before anything is built.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { withPackageLock } from '../support/packageLock';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const guard = require('../../scripts/serverless/stageGuard.cjs') as { problems(stage: string, provider: unknown): string[] };

const ROOT = join(__dirname, '..', '..');
const run = promisify(execFile);

const provider = (environment: Record<string, string>, issuerUrl = 'https://issuer.example.com') => ({
  environment,
  httpApi: { authorizers: { jwtAuth: { issuerUrl } } },
});

describe('the stage guard', () => {
  it('lets dev through whatever it is configured with', () => {
    expect(
      guard.problems(
        'dev',
        provider(
          { LOCKLESS_DYNAMODB_ENDPOINT: 'http://localhost:8000', LOCKLESS_TRUSTED_CALLER_SECRET: 's' },
          'https://auth.lockless.local',
        ),
      ),
    ).toEqual([]);
  });

  it('lets a deployed stage through with a real issuer, no endpoint and secrets by parameter name', () => {
    expect(
      guard.problems(
        'prod',
        provider({ LOCKLESS_DYNAMODB_ENDPOINT: '', LOCKLESS_TRUSTED_CALLER_SECRET_PARAMETER: '/lockless/prod/trusted' }),
      ),
    ).toEqual([]);
  });

  it.each([
    ['LOCKLESS_DYNAMODB_ENDPOINT', provider({ LOCKLESS_DYNAMODB_ENDPOINT: 'http://localhost:8000' }), /DYNAMODB_ENDPOINT/],
    ['the default issuer', provider({}, 'https://auth.lockless.local'), /JWT issuer/],
    ['no issuer', { environment: {} }, /JWT issuer/],
    ['a trusted-caller secret by value', provider({ LOCKLESS_TRUSTED_CALLER_SECRET: 'x'.repeat(40) }), /LOCKLESS_TRUSTED_CALLER_SECRET/],
    ['a MongoDB URI by value', provider({ LOCKLESS_MONGODB_URI: 'mongodb://u:p@db/' }), /MONGODB_URI/],
  ])('refuses a deployed stage with %s', (_what, config, pattern) => {
    const found = guard.problems('prod', config);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(pattern);
  });

  it('stops `serverless package --stage prod` with DYNAMODB_ENDPOINT set, before packaging anything', async () => {
    const out = await mkdtemp(join(tmpdir(), 'lockless-guard-'));
    const home = await mkdtemp(join(tmpdir(), 'lockless-home-'));
    try {
      const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('AWS_')));
      // Held like every packaging: a refusal after serverless's cleanup step would still delete `.serverless`.
      const refused = withPackageLock(() =>
        run(process.execPath, [require.resolve('serverless/bin/serverless.js'), 'package', '--stage', 'prod', '--package', out], {
          cwd: ROOT,
          env: {
            ...env,
            HOME: home,
            SLS_TELEMETRY_DISABLED: '1',
            SLS_NOTIFICATIONS_MODE: 'off',
            JWT_ISSUER_URL: 'https://issuer.example.com',
            DYNAMODB_ENDPOINT: 'http://127.0.0.1:8000',
          },
          timeout: 120_000,
        }),
      );
      const failure = await refused.then(
        () => 'packaged',
        (err: { stdout?: string; stderr?: string }) => `${err.stdout ?? ''}${err.stderr ?? ''}`,
      );
      expect(failure).toMatch(/refuses to package stage "prod"[\s\S]*DYNAMODB_ENDPOINT/);
      expect(await readdir(out)).toEqual([]);
    } finally {
      await rm(out, { recursive: true, force: true });
      await rm(home, { recursive: true, force: true });
    }
  });
});
