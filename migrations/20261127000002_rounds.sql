-- Recruitment rounds: rule sets (versioned, never updated), units, rounds, positions and the
-- units that share them, plus the submitted applications counted on the public notice.

create table rule_sets (
    id          uuid primary key default gen_random_uuid(),
    code        text not null,
    version     integer not null check (version >= 1),
    name        text not null,
    legal_basis text not null,
    -- RuleParams, validated by the application before it is stored.
    params      jsonb not null,
    created_at  timestamptz not null default now(),
    created_by  uuid references users (id),
    unique (code, version)
);

-- A rule-set version is history: a change is a new version, so past rounds keep their rules.
create function refuse_rule_set_change() returns trigger as $$
begin
    raise exception 'rule set versions are immutable; insert a new version';
end;
$$ language plpgsql;
create trigger rule_sets_immutable before update or delete on rule_sets
    for each row execute function refuse_rule_set_change();

create table units (
    id         uuid primary key default gen_random_uuid(),
    code       text not null unique check (code = upper(code) and length(code) between 1 and 32),
    name       text not null check (length(name) between 1 and 300),
    created_at timestamptz not null default now()
);

create table rounds (
    id                    uuid primary key default gen_random_uuid(),
    name                  text not null check (length(name) between 1 and 300),
    authority             text not null check (length(authority) between 1 and 300),
    notice                text not null,
    opens_at              timestamptz not null,
    closes_at             timestamptz not null,
    rule_set_id           uuid not null references rule_sets (id),
    stage1_foreign_language boolean not null default false,
    status                text not null default 'draft' check (status in
        ('draft', 'open', 'closed', 'screening', 'exams', 'marking', 'results', 'published', 'finalised')),
    created_at            timestamptz not null default now(),
    updated_at            timestamptz not null default now(),
    created_by            uuid references users (id),
    check (closes_at > opens_at)
);
create index rounds_status_idx on rounds (status, closes_at);
create trigger rounds_updated_at before update on rounds
    for each row execute function set_updated_at();

create table positions (
    id               uuid primary key default gen_random_uuid(),
    round_id         uuid not null references rounds (id) on delete cascade,
    code             text not null check (code = upper(code) and length(code) between 1 and 32),
    title            text not null check (length(title) between 1 and 300),
    min_degree       text not null check (min_degree in ('college', 'bachelor', 'master', 'doctorate')),
    majors           text[] not null default '{}',
    other_conditions text not null default '',
    stage2_format    text not null check (stage2_format in
        ('interview', 'written', 'practical', 'combined', 'project_defence')),
    written_percent  smallint check (written_percent between 1 and 99),
    max_score        smallint not null default 100 check (max_score between 10 and 1000),
    created_at       timestamptz not null default now(),
    unique (round_id, code),
    check ((stage2_format = 'combined') = (written_percent is not null))
);

-- A position shared by several units has one row per unit, each with its own quota.
create table position_units (
    position_id uuid not null references positions (id) on delete cascade,
    unit_id     uuid not null references units (id),
    quota       integer not null check (quota between 1 and 10000),
    primary key (position_id, unit_id)
);

-- Submitted applications; the application process itself fills this table.
create table applications (
    id           uuid primary key default gen_random_uuid(),
    round_id     uuid not null references rounds (id),
    position_id  uuid not null references positions (id),
    applicant_id uuid not null references users (id),
    status       text not null default 'submitted',
    submitted_at timestamptz not null default now(),
    unique (round_id, applicant_id)
);
create index applications_position_idx on applications (position_id, status);
