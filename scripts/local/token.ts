/**
 * Local development tokens. serverless-offline checks a JWT's expiry, issuer and audience but not its
 * signature (in AWS the HTTP API JWT authorizer verifies the signature against the issuer's keys), so these
 * tokens are for local use only; they are HS256-signed with a fixed development secret.
 */
import { createHmac } from 'node:crypto';
import { JWT_AUDIENCE, JWT_ISSUER_URL } from './config';

const DEV_SECRET = 'lockless-local-development-only';

const b64url = (value: Buffer | string) => Buffer.from(value).toString('base64url');

export function devToken(sub: string, options: { ttlSeconds?: number; now?: number; claims?: Record<string, unknown> } = {}): string {
  const iat = Math.floor((options.now ?? Date.now()) / 1000);
  const header = { alg: 'HS256', typ: 'JWT' };
  const payload = {
    sub,
    iss: JWT_ISSUER_URL,
    aud: JWT_AUDIENCE,
    iat,
    exp: iat + (options.ttlSeconds ?? 3600),
    ...options.claims,
  };
  const unsigned = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(payload))}`;
  return `${unsigned}.${b64url(createHmac('sha256', DEV_SECRET).update(unsigned).digest())}`;
}
