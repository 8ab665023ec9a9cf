/**
 * The HTTP side of the order transitions (pay, cancel, ship, refund): the order number from the path, the
 * optional If-Match, and the absent body of a transition without fields (refused, not ignored, like a body on
 * a GET: a client that sends fields expects them to mean something).
 */
import { orderEtag } from '../operations/orderTransitions';
import { AppError } from '../errors';
import { Id, IfMatch, parseWith } from '../validation';
import type { ApiRequest } from './request';

export { orderEtag };

/** The path's order number and the If-Match header, validated. Errors: INVALID_REQUEST. */
export function orderTarget(req: ApiRequest): { orderNo: string; ifMatch?: string } {
  const orderNo = parseWith(Id, req.pathParams.orderNo, 'path.orderNo');
  const raw = req.headers['if-match'];
  return raw === undefined ? { orderNo } : { orderNo, ifMatch: parseWith(IfMatch, raw, 'headers.if-match') };
}

/** A transition without fields takes no body. Errors: INVALID_REQUEST. */
export function refuseBody(req: ApiRequest): void {
  if (req.body === undefined || req.body === '') return;
  throw new AppError('INVALID_REQUEST', 'this route takes no body', {
    details: { issues: [{ field: 'body', message: 'must be empty: this route takes no body' }] },
  });
}

/**
 * The version an If-Match names for this order: undefined for none or `*`; 0 (which no order has, so the
 * answer is 412 with the current ETag) for an ETag of another order or another shape.
 */
export function expectedVersion(orderNo: string, ifMatch: string | undefined): number | undefined {
  if (ifMatch === undefined || ifMatch === '*') return undefined;
  const match = /^"(.+)\.v([1-9][0-9]{0,14})"$/.exec(ifMatch);
  return match && match[1] === orderNo ? Number(match[2]) : 0;
}

/** The answer's ETag header for an order version. */
export function orderEtagHeader(order: { orderNo: string; version: number }): Record<string, string> {
  return { etag: orderEtag(order.orderNo, order.version) };
}
