/** DynamoDB in the local stack: dynalite on the shared endpoint, tables from `serverless.yml`. */
export {
  createDynamoDbService,
  type DynamoDbService,
} from './dynamodb-service.js';
export { ensureTables, type LocalTables } from './ensure-tables.js';
export {
  localTableName,
  tableDefinitions,
} from './table-definitions.js';
