/**
 * GET /products/{id}  (public catalogue data: no identity needed). Direct invocation: { productId, lang? }
 * 200 the product with its version, and an ETag header that changes with the version | 400 | 404 PRODUCT_NOT_FOUND
 */
import { lambdaFunction } from '../shared/edge/lambdaFunction';
import { productEtag } from '../shared/edge/etag';
import { getProduct } from '../shared/operations/products';
import { GetProductPayload, Id, parseWith } from '../shared/validation';
import { runtimeDeps } from './runtime';

export const { handler, httpHandler } = lambdaFunction({
  name: 'getProduct',
  access: 'public',
  fromHttp: (req) => ({ productId: parseWith(Id, req.pathParams.id, 'path.id') }),
  direct: GetProductPayload,
  run: async ({ productId }) => {
    const product = await getProduct(await runtimeDeps(), productId);
    return { data: product, headers: { etag: productEtag(product.id, product.version) } };
  },
});
