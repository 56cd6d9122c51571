// The partition-key prefix of each kind of item that some function writes and nothing else: the stack
// grants such a function writes only to these partitions (`dynamodb:LeadingKeys`, infra/constructs/function.ts),
// and the key builders of these items start their `pk` with them (test/unit/shared/store/partitions.test.ts).
export const partitions = {
  connection: 'CONN#',
  subscription: 'SUB#',
  connectionSlot: 'CONNSLOTS#',
  connectionTicket: 'CONN_TICKET#',
  limit: 'LIMIT#',
  outbox: 'OUTBOX#',
  suppression: 'SUPPRESSION#',
  autoReply: 'AUTOREPLY#',
  invite: 'INVITE#',
} as const;

export type Partition = keyof typeof partitions;

/** Where each kind of evidence object lives in the bucket; the stack grants functions by these prefixes. */
export const objectPrefixes = { upload: 'uploads/', attached: 'attachments/', export: 'exports/' } as const;
