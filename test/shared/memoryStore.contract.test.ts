import { describeStore } from '../adapters/contract/describeStore';
import { MemoryStore } from '../support/memoryStore';

// The in-memory store used by operation unit tests must honour the same contract as the real adapters.
describeStore('in-memory reference', async () => ({ store: new MemoryStore(), cleanup: async () => {} }));
