import { describeFreeEntries } from './freeEntries';

describeFreeEntries('mongodb');
