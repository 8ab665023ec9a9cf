import { describeStore } from '../contract/describeStore';
import { dynamoFixture } from '../../support/stores';

describeStore('DynamoDB', () => dynamoFixture('contract'));
