/** The HTTP validator of a product: an HTTP concern, so it lives in the edge, not with the operation. */

/** A strong ETag that changes exactly when the product's version does. */
export function productEtag(productId: string, version: number): string {
  return `"${productId}.v${version}"`;
}

/**
 * The version an If-Match names for this product: a header holding exactly this product's ETag (weak `W/`
 * prefixes are not strong validators and match nothing). Anything else, another product's ETag or `*`
 * included, is null: it matches no version, and the edit answers 412 with the current ETag.
 */
export function versionFromIfMatch(productId: string, ifMatch: string): number | null {
  const match = /^"([A-Za-z0-9_-]{1,64})\.v([1-9][0-9]{0,15})"$/.exec(ifMatch.trim());
  if (!match || match[1] !== productId) return null;
  const version = Number(match[2]);
  return Number.isSafeInteger(version) ? version : null;
}
