/**
 * GET /products/{id}  (public catalogue data: no identity needed)
 * 200 the product with its version, and an ETag header that changes with the version | 400 | 404 PRODUCT_NOT_FOUND
 */
import { httpHandler } from '../shared/http/handler';
import { getProduct, productEtag } from '../shared/operations/products';
import { Id, parseWith } from '../shared/validation';
import { runtimeDeps } from './runtime';

export const handler = httpHandler('getProduct', async (req) => {
  const productId = parseWith(Id, req.pathParams.id, 'path.id');
  const product = await getProduct(runtimeDeps(), productId);
  const etag = productEtag(product.id, product.version);
  return { data: product, headers: { etag } };
});
