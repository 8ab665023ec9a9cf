/**
 * Stand-ins for the `wx` and `uni` objects of WeChat mini-programs and uni-app whose `request` makes a real HTTP
 * call with Node's http module, behaving as their documentation says: `data` given as a string is the body;
 * `dataType: 'json'` parses the answer and anything else leaves it as text; `header` in the answer keeps the
 * server's spelling of names; `timeout` fails the call with `request:fail timeout`; a network failure calls
 * `fail` with `request:fail <reason>`; the returned task can be aborted.
 */
import { request } from 'node:http';

interface Options {
  url: string;
  method?: string;
  header?: Record<string, string>;
  data?: unknown;
  timeout?: number;
  dataType?: string;
  responseType?: string;
  success?(res: { statusCode: number; data: unknown; header: Record<string, string>; errMsg: string }): void;
  fail?(err: { errMsg: string }): void;
  complete?(): void;
}

export interface FakeMiniProgram {
  request(options: Options): { abort(): void };
  /** Every options object it was given. */
  calls: Options[];
}

export function fakeMiniProgram(): FakeMiniProgram {
  const calls: Options[] = [];
  return {
    calls,
    request(options) {
      calls.push(options);
      let done = false;
      const finish = (fn: () => void) => {
        if (done) return;
        done = true;
        fn();
        options.complete?.();
      };
      const body = typeof options.data === 'string' ? options.data : options.data === undefined ? undefined : JSON.stringify(options.data);
      const req = request(options.url, { method: options.method ?? 'GET', headers: options.header ?? {} }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let data: unknown = text;
          if ((options.dataType ?? 'json') === 'json') {
            try {
              data = JSON.parse(text);
            } catch {
              // the documented behaviour: an answer that is not JSON stays a string
            }
          }
          const header: Record<string, string> = {};
          for (let i = 0; i < res.rawHeaders.length; i += 2) header[res.rawHeaders[i]!] = res.rawHeaders[i + 1]!;
          finish(() => options.success?.({ statusCode: res.statusCode ?? 0, data, header, errMsg: 'request:ok' }));
        });
      });
      req.setTimeout(options.timeout ?? 60_000, () => {
        req.destroy();
        finish(() => options.fail?.({ errMsg: 'request:fail timeout' }));
      });
      req.on('error', (err) => finish(() => options.fail?.({ errMsg: `request:fail ${err.message}` })));
      req.end(body);
      return {
        abort: () => {
          req.destroy();
          finish(() => options.fail?.({ errMsg: 'request:fail abort' }));
        },
      };
    },
  };
}
