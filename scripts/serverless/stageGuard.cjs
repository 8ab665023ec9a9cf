'use strict';
/**
 * Refuses to package (and so to deploy) a stage other than `dev` with settings that only make sense locally:
 * - LOCKLESS_DYNAMODB_ENDPOINT set: the functions would talk to DynamoDB Local, or to whatever that names;
 * - the JWT issuer still the local default (https://auth.lockless.local): no real identity provider;
 * - a secret passed by value (LOCKLESS_TRUSTED_CALLER_SECRET, LOCKLESS_MONGODB_URI): it would be copied into the
 *   CloudFormation template and the function configuration; deployed stages name SSM SecureString
 *   parameters instead (LOCKLESS_TRUSTED_CALLER_SECRET_PARAMETER, LOCKLESS_MONGODB_URI_PARAMETER).
 * The provider's environment holds the new names only: serverless.yml resolves old ones (settings.cjs).
 */
const LOCAL_STAGE = 'dev';
const DEFAULT_ISSUER = 'https://auth.lockless.local';

/** What is wrong with deploying `stage` with this provider configuration; empty when nothing is. */
function problems(stage, provider) {
  if (stage === LOCAL_STAGE) return [];
  const env = provider.environment || {};
  const issuer = provider.httpApi?.authorizers?.jwtAuth?.issuerUrl;
  const found = [];
  if (env.LOCKLESS_DYNAMODB_ENDPOINT)
    found.push(`LOCKLESS_DYNAMODB_ENDPOINT is set (${env.LOCKLESS_DYNAMODB_ENDPOINT}): unset it to use DynamoDB itself`);
  if (!issuer || issuer === DEFAULT_ISSUER)
    found.push(`the JWT issuer is the local default ${DEFAULT_ISSUER}: set LOCKLESS_JWT_ISSUER_URL`);
  if (env.LOCKLESS_TRUSTED_CALLER_SECRET)
    found.push('LOCKLESS_TRUSTED_CALLER_SECRET is set by value: store it in SSM and set LOCKLESS_TRUSTED_CALLER_SECRET_PARAMETER');
  if (env.LOCKLESS_MONGODB_URI) found.push('LOCKLESS_MONGODB_URI is set by value: store it in SSM and set LOCKLESS_MONGODB_URI_PARAMETER');
  return found;
}

class StageGuard {
  constructor(serverless, options) {
    this.serverless = serverless;
    this.options = options || {};
    this.hooks = { 'before:package:initialize': () => this.check() };
  }

  check() {
    const stage = this.options.stage || this.serverless.service.provider.stage;
    const found = problems(stage, this.serverless.service.provider);
    if (found.length > 0) {
      throw new Error(`lockless refuses to package stage "${stage}":\n - ${found.join('\n - ')}`);
    }
  }
}

module.exports = Object.assign(StageGuard, { problems, LOCAL_STAGE, DEFAULT_ISSUER });
