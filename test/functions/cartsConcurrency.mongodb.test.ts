import { describeCartConcurrency } from './cartsConcurrency';

describeCartConcurrency('mongodb');
