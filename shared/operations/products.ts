/** Reading a product. Errors: PRODUCT_NOT_FOUND. */
import { AppError } from '../errors';
import { asProduct, publicProduct } from '../model';
import type { OperationDeps } from './deps';
import { PRODUCTS } from './orders';

export async function getProduct(deps: Pick<OperationDeps, 'store'>, productId: string) {
  const product = asProduct(await deps.store.get(PRODUCTS, productId));
  if (!product) throw new AppError('PRODUCT_NOT_FOUND', `product ${productId} not found`);
  return publicProduct(product);
}

/** A strong validator that changes exactly when the product's version does. */
export function productEtag(productId: string, version: number): string {
  return `"${productId}.v${version}"`;
}
