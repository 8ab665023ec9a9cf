/** Wires operations to the configured store, once per container. */
import { getStore } from '../adapters';
import { createDeps, type OperationDeps } from '../shared/operations/deps';

let deps: OperationDeps | undefined;

export function runtimeDeps(): OperationDeps {
  deps ??= createDeps(getStore());
  return deps;
}
