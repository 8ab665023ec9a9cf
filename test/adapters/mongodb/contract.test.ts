import { describeStore } from '../contract/describeStore';
import { mongoFixture } from '../../support/stores';

describeStore('MongoDB', () => mongoFixture('contract'));
