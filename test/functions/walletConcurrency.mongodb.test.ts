import { describeWalletConcurrency } from './walletConcurrency';

describeWalletConcurrency('mongodb');
