// The one table's shape, read by the stack (constructs/data.ts) and by the local table creator.
// Which entity uses which key and index is written next to each entity's key builders in shared/store/.

export const tableKeys = {
  partitionKey: 'pk',
  sortKey: 'sk',
  /** Epoch seconds; DynamoDB deletes the item some time after. Reads still check expiry themselves. */
  ttlAttribute: 'ttl',
} as const;

/** Overloaded global secondary indexes: each entity module documents what it keeps in them. */
export const globalIndexes = [
  { name: 'gsi1', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' },
  { name: 'gsi2', partitionKey: 'gsi2pk', sortKey: 'gsi2sk' },
  { name: 'gsi3', partitionKey: 'gsi3pk', sortKey: 'gsi3sk' },
] as const;

export type GlobalIndexName = (typeof globalIndexes)[number]['name'];

/** Local (and test) table name; deployed, the stack names the table and passes TABLE_NAME. */
export const localTableName = 'atende';
