import type { BatchHandler } from '../src/batch-handler';
import type { Step } from './batch-consumer.fixture';

/**
 * The batch handler of the int tests: one set-based insert of the whole batch, in Kafka order.
 * A bad `amount` fails the whole statement with a real Postgres data error.
 */
export const insertSteps =
  (effectsTable: string): BatchHandler<Step> =>
  async (items, ctx) => {
    await ctx.tx.query(
      `INSERT INTO ${effectsTable} (topic, message_id, key, seq, amount)
       SELECT $1, m, k, s, a::bigint FROM unnest($2::text[], $3::text[], $4::int[], $5::text[]) WITH ORDINALITY AS u(m, k, s, a, n)
       ORDER BY n`,
      [
        ctx.topic,
        items.map((item) => item.context.messageId),
        items.map((item) => item.message.key),
        items.map((item) => item.message.seq),
        items.map((item) => item.message.amount),
      ],
    );
  };
