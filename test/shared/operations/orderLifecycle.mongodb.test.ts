import { describeOrderLifecycle } from './orderLifecycle';

describeOrderLifecycle('mongodb');
