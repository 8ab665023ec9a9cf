import { describeOrderList } from './orderList';

describeOrderList('mongodb');
