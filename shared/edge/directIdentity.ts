/**
 * Who is calling, for a direct Lambda invocation (the cloud-function style of `wx.cloud.callFunction` or
 * uniCloud). A user id written into the payload never counts. Two sources do:
 *
 * 1. A Cognito identity: a mobile client that invokes with Cognito identity-pool credentials arrives with
 *    `context.identity.cognitoIdentityId`, set by Lambda from the credentials, not by the caller.
 * 2. A trusted server-to-server caller configured by the deployer: it shares LOCKLESS_TRUSTED_CALLER_SECRET
 *    and sends, in the invocation's ClientContext, `custom.lockless = { sub, iat, sig }` where
 *    sig = base64url(HMAC-SHA256(secret, "lockless-invoke-v1\n<sub>\n<iat>")), valid for 5 minutes.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Context } from 'aws-lambda';

export const ASSERTION_MAX_AGE_S = 300;
const MIN_SECRET_LENGTH = 32;

export interface CallerAssertion {
  sub: string;
  /** Issued at, epoch seconds. */
  iat: number;
  sig: string;
}

function signature(secret: string, sub: string, iat: number): string {
  return createHmac('sha256', secret).update(`lockless-invoke-v1\n${sub}\n${iat}`).digest('base64url');
}

/** For trusted servers (and tests): the assertion that names the end user of a direct invocation. */
export function signCallerAssertion(secret: string, sub: string, now: number = Date.now()): CallerAssertion {
  const iat = Math.floor(now / 1000);
  return { sub, iat, sig: signature(secret, sub, iat) };
}

function verifiedAssertion(raw: unknown, secret: string | undefined, now: number): string | undefined {
  if (!secret || secret.length < MIN_SECRET_LENGTH) return undefined;
  if (typeof raw !== 'object' || raw === null) return undefined;
  const { sub, iat, sig } = raw as Partial<CallerAssertion>;
  if (typeof sub !== 'string' || sub.length === 0 || sub.length > 256) return undefined;
  if (typeof iat !== 'number' || !Number.isSafeInteger(iat) || typeof sig !== 'string') return undefined;
  if (Math.abs(now / 1000 - iat) > ASSERTION_MAX_AGE_S) return undefined;
  const expected = Buffer.from(signature(secret, sub, iat));
  const given = Buffer.from(sig);
  return expected.length === given.length && timingSafeEqual(expected, given) ? sub : undefined;
}

/** The verified caller of a direct invocation, or undefined. `trustedSecret` is LOCKLESS_TRUSTED_CALLER_SECRET. */
export function directCaller(context: Context | undefined, trustedSecret: string | undefined, now = Date.now()): string | undefined {
  const cognito = context?.identity?.cognitoIdentityId;
  if (typeof cognito === 'string' && cognito.length > 0) return cognito;
  const clientContext = context?.clientContext as { custom?: Record<string, unknown>; Custom?: Record<string, unknown> } | undefined;
  const custom = clientContext?.custom ?? clientContext?.Custom;
  return verifiedAssertion(custom?.lockless, trustedSecret, now);
}
