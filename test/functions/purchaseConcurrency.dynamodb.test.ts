import { describePurchaseConcurrency } from './purchaseConcurrency';

describePurchaseConcurrency('dynamodb');
