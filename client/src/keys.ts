/**
 * Idempotency keys: 128 random bits as 32 hex characters (the server accepts 1-128 of A-Z a-z 0-9 _ - . :).
 * From crypto.getRandomValues where there is one (browsers, React Native with a polyfill, Node); elsewhere
 * (some mini-program runtimes) the time, a per-client counter and Math.random, which cannot repeat within one
 * client and makes a clash between clients as unlikely as Math.random allows.
 */

export interface RandomSource {
  getRandomValues(bytes: Uint8Array): Uint8Array;
}

declare const crypto: RandomSource | undefined;

/** The platform's crypto, when it has one. */
export function platformRandom(): RandomSource | undefined {
  return typeof crypto === 'object' && crypto !== null && typeof crypto.getRandomValues === 'function' ? crypto : undefined;
}

const hex = (bytes: Uint8Array) => Array.prototype.map.call(bytes, (b: number) => (b < 16 ? '0' : '') + b.toString(16)).join('');

let counter = 0;

/** @param source the random bytes' source; null forces the fallback (tests). */
export function newIdempotencyKey(source: RandomSource | null | undefined = platformRandom()): string {
  const bytes = new Uint8Array(16);
  if (source) return hex(source.getRandomValues(bytes));
  for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(Math.random() * 256);
  counter = (counter + 1) % 1679616; // 36^4: four base-36 digits
  return `${Date.now().toString(36)}-${counter.toString(36)}-${hex(bytes)}`;
}
