/** Calls the functions over HTTP through serverless-offline, with a local development JWT for `sub`. */
import { devToken } from '../../scripts/local/token';
import { functionExists } from './inProcess';
import { parseBody, type Invoker } from './invoker';

export function httpInvoker(baseUrl: string): Invoker {
  const tokens = new Map<string, string>();
  const tokenFor = (sub: string) => {
    let token = tokens.get(sub);
    if (!token) {
      token = devToken(sub, { ttlSeconds: 3600 });
      tokens.set(sub, token);
    }
    return token;
  };
  return {
    mode: 'http',
    has: functionExists,
    prepare(_fn, call) {
      const headers: Record<string, string> = { ...(call.headers ?? {}) };
      if (call.body !== undefined) headers['content-type'] = 'application/json';
      if (call.sub) headers.authorization = `Bearer ${tokenFor(call.sub)}`;
      const init: RequestInit = { method: call.method, headers, ...(call.body === undefined ? {} : { body: JSON.stringify(call.body) }) };
      const url = baseUrl + call.path;
      return async () => {
        const response = await fetch(url, init);
        return { status: response.status, body: parseBody(await response.text()) };
      };
    },
    async close() {},
  };
}
