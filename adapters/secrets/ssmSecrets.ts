/**
 * Secrets from SSM Parameter Store (SecureString), through Powertools for AWS Lambda's parameters utility.
 * The SSM client is loaded on the first read only, so a container that names no parameter (every local run,
 * and DynamoDB deployments without a trusted-caller secret) never initialises it.
 */
import type { SSMProvider } from '@aws-lambda-powertools/parameters/ssm';
import type { SSMClientConfig } from '@aws-sdk/client-ssm';
import type { SecretReader } from '../../shared/edge/secrets';

/** Values are cached for the life of the container; a rotated secret reaches new containers. */
const MAX_AGE_S = 24 * 60 * 60;

export function ssmSecretReader(clientConfig: SSMClientConfig = {}): SecretReader {
  let provider: SSMProvider | undefined;
  return async (name) => {
    if (!provider) {
      const { SSMProvider } = require('@aws-lambda-powertools/parameters/ssm') as typeof import('@aws-lambda-powertools/parameters/ssm');
      provider = new SSMProvider({ clientConfig });
    }
    const value = await provider.get(name, { decrypt: true, maxAge: MAX_AGE_S });
    if (typeof value !== 'string' || value === '') throw new Error(`SSM parameter ${name} holds no text`);
    return value;
  };
}
