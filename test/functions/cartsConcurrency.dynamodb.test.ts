import { describeCartConcurrency } from './cartsConcurrency';

describeCartConcurrency('dynamodb');
