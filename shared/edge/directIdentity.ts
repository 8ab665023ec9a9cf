/**
 * Who is calling, for a direct Lambda invocation (the cloud-function style of `wx.cloud.callFunction` or
 * uniCloud). Only the direct entry point reads this (lambdaFunction.ts); a user id written into the payload
 * never counts, and neither does anything an event says about itself. Two sources do:
 *
 * 1. A Cognito identity from the configured identity pool: a client that invokes with identity-pool
 *    credentials arrives with `context.identity.cognitoIdentityId` and `cognitoIdentityPoolId`, set by Lambda
 *    from the credentials, not by the caller. Identities of any other pool are refused; with no pool
 *    configured (LOCKLESS_COGNITO_IDENTITY_POOL_ID) none counts. The owner is `cognito:<identity id>`.
 * 2. A trusted server-to-server caller configured by the deployer: it shares the trusted-caller secret and
 *    sends, in the invocation's ClientContext, `custom.lockless = { sub, iat, sig }` where
 *    sig = base64url(HMAC-SHA256(secret, "lockless-invoke-v2\n<function>\n<stage>\n<sub>\n<iat>\n<payload hash>")):
 *    the function name it invokes, the deployment stage, and sha256 of the payload's canonical JSON. It is
 *    accepted from `iat - 30 s` (clock skew) to `iat + 60 s`. The owner is `sub` itself: trusted servers act
 *    for the users the JWT issuer knows, in the same namespace as the HTTP API's `sub` claims.
 *
 * Owners never collide across sources: a JWT or trusted-caller `sub` that starts with `cognito:` is refused,
 * so every `cognito:` owner is a Cognito identity and every other owner is a JWT user.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Context } from 'aws-lambda';
import { canonicalJson, sha256Hex } from '../hash';

/** How long an assertion is accepted after it was issued. */
export const ASSERTION_MAX_AGE_S = 60;
/** How far in the future an assertion's `iat` may be: the signer's clock may run ahead of Lambda's. */
export const ASSERTION_MAX_SKEW_S = 30;
const MIN_SECRET_LENGTH = 32;
const MAX_SUB_LENGTH = 256;

/** The owner prefix of Cognito identities; no other source may produce an owner that starts with it. */
export const COGNITO_OWNER_PREFIX = 'cognito:';

export interface CallerAssertion {
  sub: string;
  /** Set only on an admin's assertion; it is part of what is signed. */
  admin?: true;
  /** Issued at, epoch seconds. */
  iat: number;
  sig: string;
}

/** What an assertion is bound to besides the user: where it may be used and for which payload. */
export interface AssertionTarget {
  /** The name of the invoked function, as Lambda reports it (`context.functionName`), e.g. lockless-prod-transfer. */
  functionName: string;
  /** The deployment stage (LOCKLESS_STAGE). */
  stage: string;
  /** The payload exactly as invoked (its canonical JSON is hashed, so key order does not matter). */
  payload: unknown;
}

/** Configuration of the direct entry point, read once per container. */
export interface DirectIdentityConfig {
  trustedSecret?: string;
  cognitoIdentityPoolId?: string;
  stage: string;
}

/** A verified direct caller: the owner id, and whether a trusted server marked the call as an admin's. */
export interface DirectCaller {
  sub: string;
  admin: boolean;
}

function signature(secret: string, sub: string, iat: number, target: AssertionTarget, admin: boolean): string {
  // An admin assertion signs a different first line, so no user assertion verifies as an admin one.
  const text = [
    admin ? 'lockless-invoke-v2-admin' : 'lockless-invoke-v2',
    target.functionName,
    target.stage,
    sub,
    String(iat),
    sha256Hex(canonicalJson(target.payload)),
  ].join('\n');
  return createHmac('sha256', secret).update(text).digest('base64url');
}

/** For trusted servers (and tests): the assertion that names the end user of one direct invocation. */
export function signCallerAssertion(
  secret: string,
  sub: string,
  target: AssertionTarget,
  now: number = Date.now(),
  options: { admin?: boolean } = {},
): CallerAssertion {
  const iat = Math.floor(now / 1000);
  const admin = options.admin === true;
  return { sub, iat, sig: signature(secret, sub, iat, target, admin), ...(admin ? { admin: true as const } : {}) };
}

/** A JWT or trusted-caller subject that may be an owner: non-empty, bounded, and not in Cognito's namespace. */
export function isUserSub(sub: unknown): sub is string {
  return typeof sub === 'string' && sub.length > 0 && sub.length <= MAX_SUB_LENGTH && !sub.startsWith(COGNITO_OWNER_PREFIX);
}

function verifiedAssertion(raw: unknown, secret: string | undefined, target: AssertionTarget, now: number): DirectCaller | undefined {
  if (!secret || secret.length < MIN_SECRET_LENGTH) return undefined;
  if (typeof raw !== 'object' || raw === null) return undefined;
  const { sub, iat, sig, admin: adminFlag } = raw as Partial<Record<keyof CallerAssertion, unknown>>;
  if (!isUserSub(sub)) return undefined;
  // Only `true` or absent: any other value is a malformed assertion, not a user one.
  if (adminFlag !== undefined && adminFlag !== true) return undefined;
  const admin = adminFlag === true;
  if (typeof iat !== 'number' || !Number.isSafeInteger(iat) || typeof sig !== 'string') return undefined;
  const age = now / 1000 - iat;
  if (age > ASSERTION_MAX_AGE_S || age < -ASSERTION_MAX_SKEW_S) return undefined;
  const expected = Buffer.from(signature(secret, sub, iat, target, admin));
  const given = Buffer.from(sig);
  return expected.length === given.length && timingSafeEqual(expected, given) ? { sub, admin } : undefined;
}

function cognitoOwner(context: Context | undefined, poolId: string | undefined): DirectCaller | undefined {
  const id = context?.identity?.cognitoIdentityId;
  if (typeof id !== 'string' || id.length === 0 || id.length > MAX_SUB_LENGTH) return undefined;
  if (!poolId || context?.identity?.cognitoIdentityPoolId !== poolId) return undefined;
  // An identity-pool caller is an end user's device: never an admin.
  return { sub: `${COGNITO_OWNER_PREFIX}${id}`, admin: false };
}

/** The verified caller of a direct invocation of `payload` (owner id, admin or not), or undefined. */
export function directCaller(
  context: Context | undefined,
  payload: unknown,
  config: DirectIdentityConfig,
  now = Date.now(),
): DirectCaller | undefined {
  if (context?.identity?.cognitoIdentityId) return cognitoOwner(context, config.cognitoIdentityPoolId);
  const clientContext = context?.clientContext as { custom?: Record<string, unknown>; Custom?: Record<string, unknown> } | undefined;
  const custom = clientContext?.custom ?? clientContext?.Custom;
  const functionName = typeof context?.functionName === 'string' ? context.functionName : '';
  return verifiedAssertion(custom?.lockless, config.trustedSecret, { functionName, stage: config.stage, payload }, now);
}
