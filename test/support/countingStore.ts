/** Counts the store calls an operation makes, so "one guarded write, no read" is checked, not assumed. */
import type { ConditionalStore } from '../../shared/store';

export function countingStore(store: ConditionalStore): { store: ConditionalStore; calls: string[] } {
  const calls: string[] = [];
  const wrapped: ConditionalStore = {
    get: (c, id) => (calls.push('get'), store.get(c, id)),
    update: (c, id, spec) => (calls.push('update'), store.update(c, id, spec)),
    insert: (c, doc) => (calls.push('insert'), store.insert(c, doc)),
    remove: (c, id, v) => (calls.push('remove'), store.remove(c, id, v)),
    transact: (writes, options) => (calls.push('transact'), store.transact(writes, options)),
    list: (c, query) => (calls.push('list'), store.list(c, query)),
    close: () => store.close(),
  };
  return { store: wrapped, calls };
}
