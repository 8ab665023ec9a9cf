import { describeCrashInjection } from './crashInjection';

describeCrashInjection('dynamodb');
