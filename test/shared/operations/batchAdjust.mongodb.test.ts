import { describeBatchAdjust } from './batchAdjust';

describeBatchAdjust('mongodb');
