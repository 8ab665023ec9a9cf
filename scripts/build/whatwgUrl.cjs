/**
 * What the bundles take in place of the `whatwg-url` package (esbuild.config.mjs swaps it in): Node's own
 * WHATWG URL, the same standard's parser, built into every Node that runs the functions.
 *
 * Only the MongoDB driver reaches whatwg-url, through mongodb-connection-string-url, whose ConnectionString
 * subclasses its URL. whatwg-url brings tr46's Unicode tables (IDNA host mapping, 231 KiB minified) that can
 * never run there: ConnectionString hands URL a fixed ASCII placeholder in place of the hosts, and the scheme
 * (`mongodb:`, `mongodb+srv:`) is not a special scheme, so its host is opaque and never IDNA-mapped. The hosts
 * themselves are parsed by the driver with Node's global URL already. test/delivery/connectionString.test.ts
 * checks that every connection-string form parses the same with this file as with whatwg-url.
 */
'use strict';

module.exports = { URL, URLSearchParams };
