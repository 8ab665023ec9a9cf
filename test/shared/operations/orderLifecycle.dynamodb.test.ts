import { describeOrderLifecycle } from './orderLifecycle';

describeOrderLifecycle('dynamodb');
