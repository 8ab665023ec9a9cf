import { describeFuzz } from './describeFuzz';

describeFuzz('dynamodb');
