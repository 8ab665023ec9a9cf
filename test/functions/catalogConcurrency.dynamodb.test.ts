import { describeCatalogConcurrency } from './catalogConcurrency';

describeCatalogConcurrency('dynamodb');
