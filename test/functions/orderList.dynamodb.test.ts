import { describeOrderList } from './orderList';

describeOrderList('dynamodb');
