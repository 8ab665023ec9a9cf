/**
 * lockless client SDK, admin entry (`@lockless/client/admin`): everything the buyer's entry has, plus
 * createAdminClient for the admin-only routes. Buyers' apps import the main entry, which does not carry these.
 */
export * from '../index';
export { createAdminClient, type LocklessAdminClient } from './adminClient';
export { ADMIN_ROUTES } from './adminRoutes';
