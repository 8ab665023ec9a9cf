import { describePurchaseMetrics } from './purchaseMetrics';

describePurchaseMetrics('dynamodb');
