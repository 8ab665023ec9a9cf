/** npm run token -- <sub> [ttlSeconds]: prints a local development JWT for curl. */
import { devToken } from './local/token';

const [sub, ttl] = process.argv.slice(2);
if (!sub) {
  console.error('usage: npm run token -- <sub> [ttlSeconds]');
  process.exit(2);
}
const ttlSeconds = ttl === undefined ? 3600 : Number(ttl);
if (!Number.isSafeInteger(ttlSeconds)) {
  console.error('ttlSeconds must be an integer');
  process.exit(2);
}
process.stdout.write(`${devToken(sub, { ttlSeconds })}\n`);
