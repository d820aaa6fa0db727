import type { SchemaMigration } from '@fleetwave/platform';

/**
 * Artifact metadata of software modules. The bytes live outside Postgres, content-addressed by
 * sha256 under the artifact directory; rows of several modules may share one file.
 */
export const artifactMigrationSteps = (schema: string): SchemaMigration[] => [
  {
    id: '007-software-module-artifacts',
    up: `
create table ${schema}.software_module_artifacts (
  id bigserial primary key,
  software_module_id bigint not null references ${schema}.software_modules (id) on delete cascade,
  provided_filename text not null,
  size bigint not null,
  sha1 text not null,
  md5 text not null,
  sha256 text not null,
  created_at timestamptz not null default now(),
  created_by text not null,
  last_modified_at timestamptz not null default now(),
  last_modified_by text not null,
  unique (software_module_id, provided_filename)
);
-- Whether a stored file is still referenced once an artifact is deleted.
create index software_module_artifacts_sha256 on ${schema}.software_module_artifacts (sha256);
`,
  },
  {
    id: '008-artifact-file-garbage',
    up: `
-- Digests whose rows went away (an artifact deleted, or a module with its artifacts): their files
-- are removed once no row references them, whichever statement deleted the rows.
create table ${schema}.artifact_file_garbage (
  sha256 text primary key,
  since timestamptz not null default now()
);
create function ${schema}.note_artifact_file_garbage() returns trigger language plpgsql as $fn$
begin
  insert into ${schema}.artifact_file_garbage (sha256) values (old.sha256) on conflict do nothing;
  return null;
end
$fn$;
create trigger software_module_artifacts_garbage after delete on ${schema}.software_module_artifacts
  for each row execute function ${schema}.note_artifact_file_garbage();
`,
  },
];
