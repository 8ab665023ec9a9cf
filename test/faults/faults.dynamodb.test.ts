import { describeFaults } from './faults';

describeFaults('dynamodb');
