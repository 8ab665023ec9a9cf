/**
 * Who is an admin. Admin routes (ship, refund, product edits, batch adjustments, draws...) are open to:
 * - an HTTP caller whose verified JWT lists the configured group in the configured claim (LOCKLESS_ADMIN_GROUP,
 *   default `lockless-admin`, in LOCKLESS_ADMIN_CLAIM, default `cognito:groups`);
 * - a trusted server caller whose signed assertion says `admin: true` (directIdentity.ts signs that flag, so a
 *   user assertion cannot be turned into an admin one).
 * A Cognito identity-pool caller is never an admin. Everyone else gets 403 FORBIDDEN on an admin route.
 */
import type { AdminSettings } from '../config';

/**
 * The groups a claim lists. API Gateway's HTTP API hands array claims to the function flattened into one
 * string, `[a b]`; a JWT decoded elsewhere (serverless-offline, tests) keeps the array. Both are read, and a
 * plain string is read as a comma- or space-separated list.
 */
export function groupsIn(claim: unknown): string[] {
  if (Array.isArray(claim)) return claim.filter((g): g is string => typeof g === 'string' && g.length > 0);
  if (typeof claim !== 'string') return [];
  const inner = claim.startsWith('[') && claim.endsWith(']') ? claim.slice(1, -1) : claim;
  return inner.split(/[\s,]+/).filter((g) => g.length > 0);
}

/** Whether verified JWT claims make their caller an admin. */
export function isAdminByClaims(claims: Readonly<Record<string, unknown>> | undefined, settings: AdminSettings): boolean {
  if (!claims || !Object.hasOwn(claims, settings.claim)) return false;
  return groupsIn(claims[settings.claim]).includes(settings.group);
}
