import { describePurchaseMetrics } from './purchaseMetrics';

describePurchaseMetrics('mongodb');
