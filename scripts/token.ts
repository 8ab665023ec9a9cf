/**
 * npm run token -- <sub> [ttlSeconds] [--admin]: prints a local development JWT for curl. With --admin the token
 * lists the admin group (LOCKLESS_ADMIN_GROUP) in the admin claim (LOCKLESS_ADMIN_CLAIM), as Cognito would.
 */
import { readConfig } from '../shared/config';
import { devToken } from './local/token';

const args = process.argv.slice(2);
const admin = args.includes('--admin');
const [sub, ttl] = args.filter((arg) => arg !== '--admin');
if (!sub) {
  console.error('usage: npm run token -- <sub> [ttlSeconds] [--admin]');
  process.exit(2);
}
const ttlSeconds = ttl === undefined ? 3600 : Number(ttl);
if (!Number.isSafeInteger(ttlSeconds)) {
  console.error('ttlSeconds must be an integer');
  process.exit(2);
}
const { claim, group } = readConfig().admin;
process.stdout.write(`${devToken(sub, { ttlSeconds, claims: admin ? { [claim]: [group] } : {} })}\n`);
