import { describeRounds } from './rounds';

describeRounds('mongodb');
