/**
 * The HTTP API's CORS rule (scripts/serverless/cors.cjs): the origins come from LOCKLESS_CORS_ORIGINS only, no
 * origin means no rule, and an entry a browser would never send as Origin is refused rather than matching
 * nothing. The rule in a packaged template and a real preflight: test/delivery/cors.test.ts.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const cors = require('../../scripts/serverless/cors.cjs') as {
  parseOrigins(value: string | undefined): string[];
  corsFor(env: Record<string, string | undefined>): false | Record<string, unknown>;
};

describe('the CORS rule', () => {
  it('is absent when no origin is named', () => {
    expect(cors.corsFor({})).toBe(false);
    expect(cors.corsFor({ LOCKLESS_CORS_ORIGINS: '' })).toBe(false);
    expect(cors.corsFor({ LOCKLESS_CORS_ORIGINS: ' , ' })).toBe(false);
  });

  it('allows the named origins, the headers the SDK sends, and exposes ETag and Idempotent-Replayed', () => {
    expect(cors.corsFor({ LOCKLESS_CORS_ORIGINS: 'https://shop.example.com, http://localhost:3100,https://shop.example.com' })).toEqual({
      allowedOrigins: ['https://shop.example.com', 'http://localhost:3100'],
      allowedHeaders: ['Authorization', 'Content-Type', 'Idempotency-Key', 'Accept-Language', 'If-Match'],
      allowedMethods: ['DELETE', 'GET', 'OPTIONS', 'PATCH', 'POST'],
      exposedResponseHeaders: ['ETag', 'Idempotent-Replayed'],
      maxAge: 600,
    });
  });

  it('takes `*` alone for any origin, with no credentials mode', () => {
    const rule = cors.corsFor({ LOCKLESS_CORS_ORIGINS: '*' });
    expect(rule).toMatchObject({ allowedOrigins: ['*'] });
    expect(rule).not.toHaveProperty('allowCredentials');
  });

  it.each([
    ['a trailing slash', 'https://shop.example.com/'],
    ['a path', 'https://shop.example.com/app'],
    ['no scheme', 'shop.example.com'],
    ['another scheme', 'ftp://shop.example.com'],
    ['an upper-case host', 'https://Shop.example.com'],
    ['`*` beside an origin', '*,https://shop.example.com'],
    ['a wildcard subdomain', 'https://*.example.com'],
  ])('refuses %s', (_what, value) => {
    expect(() => cors.parseOrigins(value)).toThrow(/LOCKLESS_CORS_ORIGINS/);
  });
});
