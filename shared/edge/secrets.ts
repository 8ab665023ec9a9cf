/**
 * Secrets the functions need (the trusted-caller secret, a MongoDB URI with credentials), never copied into
 * the deployment: a deployed stage names an SSM SecureString parameter in `<NAME>_PARAMETER`, read once per
 * container, at cold start, and cached for its life. Local runs set `<NAME>` itself as a plain variable, which
 * wins (shared/config.ts reads both). The reader of parameters is an adapter (adapters/secrets), registered by
 * the composition root, so that nothing here imports an AWS client and runs without one when no parameter is
 * configured.
 */
import type { SecretSource } from '../config';

/** Reads one SecureString parameter by name, decrypted. */
export type SecretReader = (parameterName: string) => Promise<string>;

let reader: SecretReader | undefined;
const cache = new Map<string, Promise<string | undefined>>();

/** Registers how parameters are read (functions/runtime.ts registers SSM). */
export function useSecretReader(next: SecretReader): void {
  reader = next;
}

/**
 * The secret `name` from its source (shared/config.ts): the plain value when set, else the parameter (read once
 * per container; a failed read is tried again by the next caller), else undefined. `name` only labels errors.
 */
export function secretFrom(name: string, source: SecretSource): Promise<string | undefined> {
  if (source.value) return Promise.resolve(source.value);
  const parameter = source.parameter;
  if (!parameter) return Promise.resolve(undefined);
  let pending = cache.get(parameter);
  if (!pending) {
    const read = reader;
    if (!read) return Promise.reject(new Error(`${name}_PARAMETER is set but no secret reader is registered`));
    pending = read(parameter).catch((err: unknown) => {
      cache.delete(parameter);
      throw err;
    });
    cache.set(parameter, pending);
  }
  return pending;
}

/** The secret `name` from the variables `name` and `<name>_PARAMETER` of `env` (see secretFrom). */
export function secret(name: string, env: NodeJS.ProcessEnv = process.env): Promise<string | undefined> {
  return secretFrom(name, { value: env[name], parameter: env[`${name}_PARAMETER`] });
}

/** Forgets cached values (tests). */
export function clearSecretCache(): void {
  cache.clear();
}
