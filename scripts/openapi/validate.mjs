// Validates an OpenAPI document with @seriousme/openapi-schema-validator (ESM only, so a separate process for
// jest): `node scripts/openapi/validate.mjs <file>`, or the document on stdin with `-`. Prints the validator's
// result as JSON and exits 1 when the document is not valid.
import { readFileSync } from 'node:fs';
import { Validator } from '@seriousme/openapi-schema-validator';

const source = process.argv[2] ?? 'docs/openapi.json';
const document = JSON.parse(readFileSync(source === '-' ? 0 : source, 'utf8'));
const validator = new Validator();
const result = await validator.validate(document);
process.stdout.write(`${JSON.stringify({ ...result, version: validator.version })}\n`);
process.exit(result.valid ? 0 : 1);
