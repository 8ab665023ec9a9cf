import { setting } from '../../shared/config';

/** Settings shared by `npm start`, `npm run token` and the end-to-end tests; they match serverless.yml's defaults. */
export const LOCAL_STAGE = 'dev';
export const LOCAL_TABLE_PREFIX = `lockless-${LOCAL_STAGE}-`;
export const JWT_ISSUER_URL = setting('LOCKLESS_JWT_ISSUER_URL') ?? 'https://auth.lockless.local';
export const JWT_AUDIENCE = setting('LOCKLESS_JWT_AUDIENCE') ?? 'lockless';
export const HTTP_PORT = 3000;
export const LAMBDA_PORT = 3002;
