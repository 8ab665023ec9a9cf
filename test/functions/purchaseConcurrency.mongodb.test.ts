import { describePurchaseConcurrency } from './purchaseConcurrency';

describePurchaseConcurrency('mongodb');
