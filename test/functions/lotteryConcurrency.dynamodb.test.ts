import { describeLotteryConcurrency } from './lotteryConcurrency';

describeLotteryConcurrency('dynamodb');
