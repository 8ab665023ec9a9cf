import { describeCrashInjection } from './crashInjection';

describeCrashInjection('mongodb');
