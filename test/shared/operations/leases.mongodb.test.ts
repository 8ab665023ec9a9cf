import { describeLeases } from './leases';

describeLeases('mongodb');
