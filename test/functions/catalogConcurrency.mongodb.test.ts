import { describeCatalogConcurrency } from './catalogConcurrency';

describeCatalogConcurrency('mongodb');
