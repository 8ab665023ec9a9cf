import { describeBatchAdjust } from './batchAdjust';

describeBatchAdjust('dynamodb');
