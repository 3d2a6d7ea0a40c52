/** DynamoDB in the local stack: dynalite on the shared endpoint, tables from `serverless.yml`. */
export {
  createDynamoDbService,
  type DynamoDbService,
  type DynamoDbServiceOptions,
} from './dynamodb-service.js';
export { type EnsureTablesOptions, ensureTables, type LocalTables } from './ensure-tables.js';
export {
  LOCAL_TABLE_NAME,
  type LocalTableDefinition,
  localTableName,
  tableDefinitions,
} from './table-definitions.js';
