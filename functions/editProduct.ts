/**
 * PATCH /products/{id} (admin): edits name and price if the product is still at the version its If-Match
 * names (the ETag of GET /products/{id}): 428 without one, 412 with the current ETag and product when stale.
 * Also a direct invocation (`ifMatch` in the payload). Payloads, answers and errors: the API table in README.md.
 */
import { EditProductBody, EditProductPayload, IfMatch } from '../shared/catalogSchemas';
import { readJsonObject } from '../shared/edge/body';
import { productEtag, versionFromIfMatch } from '../shared/edge/etag';
import { lambdaFunction } from '../shared/edge/lambdaFunction';
import { AppError, isAppError } from '../shared/errors';
import { editProduct } from '../shared/operations/catalog';
import { Id, parseWith } from '../shared/validation';
import { runtimeDeps } from './runtime';

export const { handler, httpHandler } = lambdaFunction({
  name: 'editProduct',
  access: 'admin',
  fromHttp: (req) => {
    const raw = req.headers['if-match'];
    return {
      productId: parseWith(Id, req.pathParams.id, 'path.id'),
      ...(raw === undefined ? {} : { ifMatch: parseWith(IfMatch, raw, 'headers.if-match') }),
      ...parseWith(EditProductBody, readJsonObject(req), 'body'),
    };
  },
  direct: EditProductPayload,
  run: async ({ productId, ifMatch, name, price }) => {
    const expectVersion = ifMatch === undefined ? undefined : versionFromIfMatch(productId, ifMatch);
    try {
      const product = await editProduct(await runtimeDeps(), { productId, expectVersion, name, price });
      return { msg: 'PRODUCT_UPDATED', data: product, headers: { etag: productEtag(product.id, product.version) } };
    } catch (err) {
      throw withCurrentEtag(err);
    }
  },
});

/** A 412 carries the current ETag next to the current product, so the editor can merge and send it back. */
function withCurrentEtag(err: unknown): unknown {
  if (!isAppError(err) || err.code !== 'PRECONDITION_FAILED') return err;
  const current = (err.details as { current?: { id: string; version: number } } | undefined)?.current;
  if (!current) return err;
  return new AppError('PRECONDITION_FAILED', err.message, { details: { etag: productEtag(current.id, current.version), current } });
}
