/**
 * Wraps a route into a Lambda handler for HTTP API events: parse the event, run the route, wrap the result
 * in the envelope, turn every thrown value into an error envelope, and log one line with the request id.
 */
import type { APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { toAppError } from '../errors';
import { fromHttpEvent, type ApiRequest } from './request';
import { errorEnvelope, successEnvelope, toHttp, type Success } from './response';
import { logLine } from './log';

export type Route = (req: ApiRequest) => Promise<Success>;

export function httpHandler(name: string, route: Route) {
  return async (event: unknown, context?: Context): Promise<APIGatewayProxyStructuredResultV2> => {
    const started = Date.now();
    let req: ApiRequest | undefined;
    try {
      req = fromHttpEvent(event as Parameters<typeof fromHttpEvent>[0], context);
      const result = await route(req);
      logLine('info', { fn: name, requestId: req.requestId, status: result.status ?? 200, ms: Date.now() - started });
      return toHttp(successEnvelope(result, req.lang), result.headers);
    } catch (thrown) {
      const err = toAppError(thrown);
      const requestId = req?.requestId ?? context?.awsRequestId ?? 'unknown';
      logLine(err.status >= 500 ? 'error' : 'info', {
        fn: name,
        requestId,
        status: err.status,
        error: err.code,
        ms: Date.now() - started,
        // The cause stays in the log; the client sees only the code and, at 5xx, the request id.
        ...(err.status >= 500 ? { cause: err.cause ?? err } : {}),
      });
      return toHttp(errorEnvelope(err, req?.lang ?? 'zh', requestId));
    }
  };
}
