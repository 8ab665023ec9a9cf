import { describeFreeEntries } from './freeEntries';

describeFreeEntries('dynamodb');
