/** Reading products and orders. Errors: PRODUCT_NOT_FOUND, ORDER_NOT_FOUND. */
import { AppError } from '../errors';
import { asProduct, isOrder, publicOrder, publicProduct, type Order } from '../model';
import type { OperationDeps } from './deps';
import { ORDERS, PRODUCTS } from '../collections';

export async function getProduct(deps: Pick<OperationDeps, 'store'>, productId: string) {
  const product = asProduct(await deps.store.get(PRODUCTS, productId));
  if (!product) throw new AppError('PRODUCT_NOT_FOUND', `product ${productId} not found`);
  return publicProduct(product);
}

/**
 * An order, for the buyer only; anyone else, and any void tombstone, gets ORDER_NOT_FOUND (existence is not
 * revealed).
 */
export async function getOrder(deps: Pick<OperationDeps, 'store'>, uid: string, orderNo: string) {
  const doc = await deps.store.get(ORDERS, orderNo);
  if (!doc || doc.uid !== uid || !isOrder(doc)) throw new AppError('ORDER_NOT_FOUND', `order ${orderNo} not found`);
  return publicOrder(doc as Order);
}
