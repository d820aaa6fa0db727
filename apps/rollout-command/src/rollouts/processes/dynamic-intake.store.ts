import type { SqlExecutor } from '@fleetwave/event-store';
import type { DynamicGroupTemplate, RolloutGroupDefinition } from '@fleetwave/contracts';

/** A dynamic rollout's intake as stored: the group now filling and the two keyset cursors. */
export interface DynamicIntake {
  rolloutId: number;
  targetFilterQuery: string;
  template: DynamicGroupTemplate;
  /** 1-based number of the dynamic group now filling (its name's `-<n>`). */
  dynamicNumber: number;
  group: RolloutGroupDefinition;
  groupMembers: number;
  /** Targets above this id were never looked at. */
  newAfterId: number;
  /** Where the sweep over older targets continues. */
  sweepAfterId: number;
  ended: boolean;
}

/** What an intake step changes on its row. */
export type IntakeAdvance = Pick<
  DynamicIntake,
  'dynamicNumber' | 'group' | 'groupMembers' | 'newAfterId' | 'sweepAfterId' | 'ended'
>;

interface IntakeRow {
  rollout_id: string;
  target_filter_query: string;
  name_suffix: string;
  target_count: number;
  dynamic_number: number;
  group_definition: RolloutGroupDefinition;
  group_members: number;
  new_after_id: string;
  sweep_after_id: string;
  ended: boolean;
}

const toIntake = (row: IntakeRow): DynamicIntake => ({
  rolloutId: Number(row.rollout_id),
  targetFilterQuery: row.target_filter_query,
  template: { nameSuffix: row.name_suffix, targetCount: row.target_count },
  dynamicNumber: row.dynamic_number,
  group: row.group_definition,
  groupMembers: row.group_members,
  newAfterId: Number(row.new_after_id),
  sweepAfterId: Number(row.sweep_after_id),
  ended: row.ended,
});

/** The `rollout_dynamic_intake` table: one row per dynamic rollout, written with RolloutCreated. */
export class DynamicIntakeStore {
  constructor(readonly schema: string) {}

  /**
   * Records a dynamic rollout's intake in its creating transaction. With static groups, the
   * targets that exist now are theirs to take, so looking for new ones starts above the highest
   * id (older ones are still swept); a rollout of only dynamic groups looks at every target.
   */
  async register(
    tx: SqlExecutor,
    intake: Pick<DynamicIntake, 'rolloutId' | 'targetFilterQuery' | 'template' | 'group'> & { fromStart: boolean },
  ): Promise<void> {
    await tx.query(
      `insert into ${this.schema}.rollout_dynamic_intake
         (rollout_id, target_filter_query, name_suffix, target_count, group_definition, new_after_id)
       values ($1, $2, $3, $4, $5::jsonb,
               case when $6::boolean then 0 else (select coalesce(max(id), 0) from ${this.schema}.targets) end)
       on conflict (rollout_id) do nothing`,
      [
        intake.rolloutId,
        intake.targetFilterQuery,
        intake.template.nameSuffix,
        intake.template.targetCount,
        JSON.stringify(intake.group),
        intake.fromStart,
      ],
    );
  }

  /** The id of the dynamic group now filling; undefined for a static rollout. */
  async currentGroupId(db: SqlExecutor, rolloutId: number): Promise<number | undefined> {
    const { rows } = await db.query<{ group_id: string }>(
      `select group_definition->>'groupId' as group_id from ${this.schema}.rollout_dynamic_intake where rollout_id = $1`,
      [rolloutId],
    );
    return rows[0] ? Number(rows[0].group_id) : undefined;
  }

  /** Up to `limit` rollouts whose intake has not ended, after `afterId` in id order. */
  async openRollouts(db: SqlExecutor, afterId: number, limit: number): Promise<number[]> {
    const { rows } = await db.query<{ rollout_id: string }>(
      `select rollout_id from ${this.schema}.rollout_dynamic_intake where not ended and rollout_id > $1
       order by rollout_id limit $2`,
      [afterId, limit],
    );
    return rows.map((r) => Number(r.rollout_id));
  }

  /** Locks a rollout's intake for one step; undefined when it has none, it ended, or another step holds it. */
  async claim(tx: SqlExecutor, rolloutId: number): Promise<DynamicIntake | undefined> {
    const { rows } = await tx.query<IntakeRow>(
      `select * from ${this.schema}.rollout_dynamic_intake where rollout_id = $1 and not ended
       for update skip locked`,
      [rolloutId],
    );
    return rows[0] && toIntake(rows[0]);
  }

  async advance(tx: SqlExecutor, rolloutId: number, next: IntakeAdvance): Promise<void> {
    await tx.query(
      `update ${this.schema}.rollout_dynamic_intake
         set dynamic_number = $2, group_definition = $3::jsonb, group_members = $4, new_after_id = $5,
             sweep_after_id = $6, ended = $7, updated_at = clock_timestamp()
       where rollout_id = $1`,
      [
        rolloutId,
        next.dynamicNumber,
        JSON.stringify(next.group),
        next.groupMembers,
        next.newAfterId,
        next.sweepAfterId,
        next.ended,
      ],
    );
  }

  async find(db: SqlExecutor, rolloutId: number): Promise<DynamicIntake | undefined> {
    const { rows } = await db.query<IntakeRow>(
      `select * from ${this.schema}.rollout_dynamic_intake where rollout_id = $1`,
      [rolloutId],
    );
    return rows[0] && toIntake(rows[0]);
  }
}
