/**
 * The events and contexts the benchmark hands to a handler: the test suite's builders (test/support/events.ts,
 * shaped as AWS delivers them), with the route template as routeKey, the deployed timeout, and the function's
 * own name in the context.
 */
import type { Context } from 'aws-lambda';
import { httpEvent as apiGatewayEvent, lambdaContext as testContext, type EventInput } from '../../test/support/events';

/** The deployed function timeout (serverless.yml): what getRemainingTimeInMillis starts from. */
export const LAMBDA_TIMEOUT_MS = 10_000;

/** A request as the benchmark sends it: always with its route template; `sub` omitted on public routes. */
export interface HttpCall extends EventInput {
  method: 'GET' | 'POST';
  route: string;
}

export function httpEvent(call: HttpCall) {
  return apiGatewayEvent({ ...call, headers: { 'user-agent': 'lockless-bench', ...(call.headers ?? {}) } });
}

export function lambdaContext(functionName: string, remainingMs = LAMBDA_TIMEOUT_MS): Context {
  return testContext(remainingMs, {
    functionName,
    invokedFunctionArn: `arn:aws:lambda:us-east-1:123456789012:function:${functionName}`,
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'bench',
  });
}
