import { describeFuzz } from './describeFuzz';

describeFuzz('mongodb');
