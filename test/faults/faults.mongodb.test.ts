import { describeFaults } from './faults';

describeFaults('mongodb');
