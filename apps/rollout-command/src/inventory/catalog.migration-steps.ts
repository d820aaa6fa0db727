import type { MigrationClient, SchemaMigration } from '@fleetwave/platform';

/**
 * The inventory catalogue of the Management API: module and set types (hawkBit's defaults
 * seeded), target types, target tags, saved target filters, and the columns sets and targets
 * need for them. Types are referenced by key from modules and sets (keys never change), target
 * types by id from targets, with the key copied for the target filter's `type` field.
 */
const catalog = (schema: string): SchemaMigration => ({
  id: '003-inventory-catalog',
  up: `
create table ${schema}.software_module_types (
  id bigserial primary key,
  key text not null unique,
  name text not null unique,
  description text,
  colour text,
  max_assignments integer not null default 1,
  min_artifacts integer not null default 0,
  created_at timestamptz not null default now(),
  created_by text not null default 'system',
  last_modified_at timestamptz not null default now(),
  last_modified_by text not null default 'system'
);
create table ${schema}.distribution_set_types (
  id bigserial primary key,
  key text not null unique,
  name text not null unique,
  description text,
  colour text,
  created_at timestamptz not null default now(),
  created_by text not null default 'system',
  last_modified_at timestamptz not null default now(),
  last_modified_by text not null default 'system'
);
-- Which module types a set type holds; a set is complete once every mandatory one is present.
create table ${schema}.distribution_set_type_modules (
  ds_type_id bigint not null references ${schema}.distribution_set_types (id) on delete cascade,
  sm_type_id bigint not null references ${schema}.software_module_types (id),
  mandatory boolean not null,
  primary key (ds_type_id, sm_type_id)
);
insert into ${schema}.software_module_types (key, name, description, max_assignments) values
  ('os', 'OS', 'Core firmware or operating system', 1),
  ('runtime', 'Runtime', 'Runtime environment', 1),
  ('application', 'Application', 'Application addons', 2147483647);
insert into ${schema}.distribution_set_types (key, name, description) values
  ('os', 'OS only', 'Default type with Firmware/OS only.'),
  ('os_app', 'OS with app(s)', 'Default type with Firmware/OS and optional app(s).'),
  ('app', 'App(s) only', 'Default type with app(s) only.');
insert into ${schema}.distribution_set_type_modules (ds_type_id, sm_type_id, mandatory)
select d.id, s.id, x.mandatory
from (values ('os', 'os', true), ('os_app', 'os', true), ('os_app', 'application', false),
             ('os_app', 'runtime', false), ('app', 'application', true), ('app', 'runtime', false))
       as x(ds_key, sm_key, mandatory)
join ${schema}.distribution_set_types d on d.key = x.ds_key
join ${schema}.software_module_types s on s.key = x.sm_key;

create table ${schema}.target_types (
  id bigserial primary key,
  key text not null unique,
  name text not null unique,
  description text,
  colour text,
  compatible_ds_type_ids bigint[] not null default '{}',
  created_at timestamptz not null default now(),
  created_by text not null,
  last_modified_at timestamptz not null default now(),
  last_modified_by text not null
);
create table ${schema}.target_tags (
  id bigserial primary key,
  name text not null unique,
  description text,
  colour text,
  created_at timestamptz not null default now(),
  created_by text not null,
  last_modified_at timestamptz not null default now(),
  last_modified_by text not null
);
create table ${schema}.target_filters (
  id bigserial primary key,
  name text not null unique,
  query text not null,
  created_at timestamptz not null default now(),
  created_by text not null,
  last_modified_at timestamptz not null default now(),
  last_modified_by text not null
);
alter table ${schema}.targets add column target_type_id bigint;
-- Locked once a rollout uses the set (or on request): its modules can no longer change.
alter table ${schema}.distribution_sets add column locked boolean not null default false;
alter table ${schema}.distribution_sets add column required_migration_step boolean not null default false;
-- hawkBit deletes a used set or module softly: it stays readable (deleted: true) but leaves lists.
alter table ${schema}.distribution_sets add column deleted boolean not null default false;
alter table ${schema}.software_modules add column deleted boolean not null default false;
alter table ${schema}.software_modules add column locked boolean not null default false;
`,
});

/**
 * Indexes for the target filter fields rollouts select on, over a table of millions of rows.
 * Built concurrently (each statement on its own, outside a transaction) so that a running fleet
 * keeps registering devices meanwhile; `if not exists` makes a re-run after a crash harmless.
 * Also the orderings list sorts use. None covers a column that follows the target's actions
 * (step 009 dropped those: the status writes stay heap-only). The expressions are the ones the target filter compiler emits: lower() for case-insensitive
 * text (text_pattern_ops also serves `prefix*` wildcards), and a GIN index over the attribute
 * map with keys and values lowered, which the compiler's containment pre-check uses.
 */
const targetFilterIndexes = (schema: string): SchemaMigration => ({
  id: '004-target-filter-indexes',
  transaction: false,
  up: async (client: MigrationClient) => {
    const indexes = [
      `targets_controller_id_lower on ${schema}.targets (lower(controller_id) text_pattern_ops)`,
      `targets_name_lower on ${schema}.targets (lower(name) text_pattern_ops)`,
      `targets_created_at on ${schema}.targets (created_at, id)`,
      // Plain orderings for list sorts (the id breaks ties, as the list query does).
      `targets_name_sort on ${schema}.targets (name, id)`,
      `targets_last_request_sort on ${schema}.targets (last_controller_request_at, id)`,
      `targets_attributes_lower on ${schema}.targets using gin ((lower(attributes::text)::jsonb) jsonb_path_ops)`,
      `targets_tags on ${schema}.targets using gin (tags)`,
      `targets_target_type_id on ${schema}.targets (target_type_id) where target_type_id is not null`,
    ];
    for (const index of indexes) await client.query(`create index concurrently if not exists ${index}`);
  },
});

export const catalogMigrationSteps = (schema: string): SchemaMigration[] => [
  catalog(schema),
  targetFilterIndexes(schema),
];
