/**
 * POST /products (admin): creates a product; 409 PRODUCT_EXISTS when its id is taken.
 * Also a direct invocation. Payloads, answers and errors: the API table in README.md, the one place they
 * are described.
 */
import { CreateProductBody } from '../shared/catalogSchemas';
import { readJsonObject } from '../shared/edge/body';
import { productEtag } from '../shared/edge/etag';
import { lambdaFunction } from '../shared/edge/lambdaFunction';
import { createProduct } from '../shared/operations/catalog';
import { parseWith } from '../shared/validation';
import { runtimeDeps } from './runtime';

export const { handler, httpHandler } = lambdaFunction({
  name: 'createProduct',
  access: 'admin',
  fromHttp: (req) => parseWith(CreateProductBody, readJsonObject(req), 'body'),
  direct: CreateProductBody,
  run: async (command) => {
    const product = await createProduct(await runtimeDeps(), command);
    return { status: 201, msg: 'PRODUCT_CREATED', data: product, headers: { etag: productEtag(product.id, product.version) } };
  },
});
