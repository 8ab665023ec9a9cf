import { describeLotteryConcurrency } from './lotteryConcurrency';

describeLotteryConcurrency('mongodb');
