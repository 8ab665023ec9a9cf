/** The HTTP validator of a product: an HTTP concern, so it lives in the edge, not with the operation. */

/** A strong ETag that changes exactly when the product's version does. */
export function productEtag(productId: string, version: number): string {
  return `"${productId}.v${version}"`;
}
