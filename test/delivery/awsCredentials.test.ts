/**
 * The DynamoDB bundles leave out the AWS SDK credential providers a Lambda function never reaches
 * (esbuild.config.mjs, AWS_CREDENTIAL_FALLBACKS). This runs the functions' DocumentClient, built with those
 * options, in fresh processes: with the environment Lambda gives every function it finds its credentials
 * with nothing outside the bundle; with a profile instead it loads the ini provider from node_modules when
 * there is one, and without node_modules it fails naming the missing provider (the limit, written down).
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const ROOT = join(__dirname, '..', '..');

const ENTRY = `import { createDynamoDocumentClient } from './adapters/dynamodb/client';
export const credentials = () => createDynamoDocumentClient({ region: 'eu-west-1' }).config.credentials();`;

const PROBE = `require(process.argv[1]).credentials().then(
  (c) => process.stdout.write(JSON.stringify({ accessKeyId: c.accessKeyId, sessionToken: c.sessionToken })),
  (e) => process.stdout.write(JSON.stringify({ error: String(e && e.message) })),
);`;

/** Builds the entry into `dir`; returns the bundle's inputs. */
async function bundle(dir: string): Promise<string[]> {
  const { stdout } = await run(process.execPath, [join(__dirname, 'bundleEntry.mjs'), 'dynamodb', join(dir, 'index.js'), ENTRY], {
    cwd: ROOT,
  });
  return JSON.parse(stdout);
}

async function credentialsIn(dir: string, env: Record<string, string>): Promise<Record<string, unknown>> {
  const { stdout } = await run(process.execPath, ['-e', PROBE, join(dir, 'index.js')], {
    cwd: dir,
    // Nothing of the caller's: no AWS_* and no NODE_PATH beyond what each case sets.
    env: { PATH: process.env.PATH ?? '', AWS_EC2_METADATA_DISABLED: 'true', ...env },
  });
  return JSON.parse(stdout);
}

describe('AWS credentials in the DynamoDB bundles', () => {
  let outside: string; // no node_modules anywhere above it, as in /var/task
  let inside: string; // under the project, so node_modules is found
  let inputs: string[];
  const profile = async (dir: string) => {
    const file = join(dir, 'credentials');
    await writeFile(file, '[lockless-test]\naws_access_key_id = AKIDFROMPROFILE\naws_secret_access_key = secret\n');
    return { AWS_PROFILE: 'lockless-test', AWS_SHARED_CREDENTIALS_FILE: file, AWS_CONFIG_FILE: join(dir, 'no-config') };
  };

  beforeAll(async () => {
    outside = await mkdtemp(join(tmpdir(), 'lockless-credentials-'));
    await mkdir(join(ROOT, '.cache'), { recursive: true });
    inside = await mkdtemp(join(ROOT, '.cache', 'credentials-'));
    inputs = await bundle(outside);
    await bundle(inside);
  });
  afterAll(async () => {
    await rm(outside, { recursive: true, force: true });
    await rm(inside, { recursive: true, force: true });
  });

  it('bundles the environment provider and not the fallbacks', () => {
    expect(inputs.some((file) => file.includes('node_modules/@aws-sdk/credential-provider-env/'))).toBe(true);
    expect(inputs.filter((file) => /credential-provider-(sso|ini|process|web-identity|http|imds)\/|nested-clients\//.test(file))).toEqual(
      [],
    );
  });

  it('finds the credentials Lambda sets in the environment with nothing outside the bundle', async () => {
    const env = { AWS_ACCESS_KEY_ID: 'AKIDFROMLAMBDA', AWS_SECRET_ACCESS_KEY: 'secret', AWS_SESSION_TOKEN: 'token' };
    expect(await credentialsIn(outside, env)).toEqual({ accessKeyId: 'AKIDFROMLAMBDA', sessionToken: 'token' });
  });

  it('loads the profile provider from node_modules where there is one', async () => {
    expect(await credentialsIn(inside, await profile(inside))).toEqual({ accessKeyId: 'AKIDFROMPROFILE' });
  });

  it('without node_modules, fails naming the provider it could not load', async () => {
    expect(await credentialsIn(outside, await profile(outside))).toEqual({
      error: expect.stringContaining('@aws-sdk/credential-provider-ini'),
    });
  });
});
