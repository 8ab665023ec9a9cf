import { describeLeases } from './leases';

describeLeases('dynamodb');
