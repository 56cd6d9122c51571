// A year of report aggregates for the one-year summary's latency: the items the ticket changes would have
// left (shared/store/reports.ts), written with the same UpdateItem a change's transaction carries.
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { dynamoClient } from '../shared/aws/dynamo.js';
import { bucketCount, eachDay } from '../shared/domain/reports.js';
import { topicIds } from '../shared/domain/topics.js';
import { reportItem } from '../shared/store/reports.js';

/**
 * `perDay` aggregates for every day of `year` (day × topic × group × agent combinations that saw activity),
 * each with created, resolved, both histograms, SLA and satisfaction counters.
 */
export async function seedReportYear(year: number, perDay: number): Promise<number> {
  const days = eachDay(`${year}-01-01`, `${year}-12-31`);
  const items = days.flatMap((day, d) =>
    Array.from({ length: perDay }, (_, i) =>
      reportItem({
        key: {
          day,
          topic: topicIds[i % topicIds.length] as string,
          groupId: `G${(i * 7 + d) % 40}`,
          agentId: i % 9 === 0 ? null : `A${(i + d) % 12}`,
        },
        adds: {
          created: 1 + (i % 4),
          resolved: i % 3,
          [`fr${(i + d) % bucketCount}`]: 1,
          [`rs${(i * 3 + d) % bucketCount}`]: 1,
          frMet: i % 2,
          frMissed: (i + 1) % 2,
          rsMet: 1,
          satSum: 4,
          satCount: 1,
        },
      }),
    ),
  );
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const update = items[next++]?.Update;
      if (update)
        await dynamoClient().send(new UpdateCommand(update as ConstructorParameters<typeof UpdateCommand>[0]));
    }
  };
  await Promise.all(Array.from({ length: 16 }, worker));
  return items.length;
}
