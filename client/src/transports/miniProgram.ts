/**
 * wx.request (WeChat mini-programs) and uni.request (uni-app): the same callback API. The body is sent as
 * JSON text and read back as text (`dataType: 'text'`), so both parse it the same way, and a gateway's
 * non-JSON answer is not lost in the framework's own parsing.
 */
import { lowerCased, parseBody, type Transport } from '../transport';

export interface MiniProgramRequestOptions {
  url: string;
  /** wx.request and uni.request have no PATCH: editProduct (an admin call) needs fetch or a direct invocation. */
  method: 'GET' | 'POST' | 'DELETE' | 'PATCH';
  header: Record<string, string>;
  data?: string;
  timeout: number;
  dataType: string;
  responseType: 'text';
  success(res: { statusCode: number; data: unknown; header?: Record<string, unknown> }): void;
  fail(err: { errMsg?: string }): void;
}

/** `wx` or `uni`, as far as this transport uses it. */
export interface MiniProgramApi {
  request(options: MiniProgramRequestOptions): unknown;
}

function requestTransport(api: MiniProgramApi | undefined, name: string): Transport {
  if (!api || typeof api.request !== 'function') throw new TypeError(`${name}Transport: pass the ${name} object`);
  return (request) =>
    new Promise((resolve, reject) => {
      api.request({
        url: request.url,
        method: request.method,
        header: request.headers,
        ...(request.body !== undefined ? { data: request.body } : {}),
        timeout: request.timeoutMs,
        dataType: 'text',
        responseType: 'text',
        success: (res) => resolve({ status: res.statusCode, body: parseBody(res.data), headers: lowerCased(res.header) }),
        fail: (err) => reject(new Error(err?.errMsg || `${name}.request failed`)),
      });
    });
}

/** For WeChat mini-programs: `wxTransport(wx)`. */
export function wxTransport(wx: MiniProgramApi): Transport {
  return requestTransport(wx, 'wx');
}

/** For uni-app (mini-programs, H5 and apps built with it): `uniTransport(uni)`. */
export function uniTransport(uni: MiniProgramApi): Transport {
  return requestTransport(uni, 'uni');
}
