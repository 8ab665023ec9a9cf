import { describeWalletConcurrency } from './walletConcurrency';

describeWalletConcurrency('dynamodb');
