import { describeRounds } from './rounds';

describeRounds('dynamodb');
