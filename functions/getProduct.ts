/**
 * GET /products/{id}: a product and its ETag (public: no identity needed).
 * Also a direct invocation. Payloads, answers and errors: the API table in README.md, the one place they
 * are described.
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
