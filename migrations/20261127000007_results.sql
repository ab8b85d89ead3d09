-- Results: decisions of the head of the authority on ties, and versioned result snapshots —
-- computed as a draft, approved by the council chair, published (then immutable, with the
-- SHA-256 digest of its canonical form), superseded by a later version after appeals.

-- "These tied candidates are ordered so": recorded by HR from the authority's decision.
create table tie_decisions (
    id           uuid primary key default gen_random_uuid(),
    round_id     uuid not null references rounds (id) on delete cascade,
    position_id  uuid not null references positions (id) on delete cascade,
    -- The tied candidates, best first.
    ordered      uuid[] not null check (cardinality(ordered) >= 2),
    decided_by   text not null check (length(decided_by) between 1 and 200),
    decided_on   date not null,
    document_ref text not null check (length(document_ref) between 1 and 200),
    recorded_by  uuid not null references users (id),
    recorded_at  timestamptz not null default now()
);
create index tie_decisions_position_idx on tie_decisions (position_id);

create table result_versions (
    id           uuid primary key default gen_random_uuid(),
    round_id     uuid not null references rounds (id) on delete cascade,
    version      integer not null check (version >= 1),
    status       text not null check (status in ('draft', 'approved', 'published', 'superseded')),
    -- The canonical form (see README: "Verifying published results"), as text so that its
    -- bytes are exactly what the digest covers.
    canonical    text not null,
    digest       text not null check (digest ~ '^[0-9a-f]{64}$'),
    computed_by  uuid not null references users (id),
    computed_at  timestamptz not null,
    approved_by  uuid references users (id),
    approved_at  timestamptz,
    published_by uuid references users (id),
    published_at timestamptz,
    unique (round_id, version)
);
-- One draft or approved version at a time per round.
create unique index result_versions_open_idx on result_versions (round_id)
    where status in ('draft', 'approved');

-- A published version never changes (only its status may become 'superseded') and is never
-- deleted.
create function guard_published_results() returns trigger as $$
begin
    if tg_op = 'DELETE' then
        if old.status in ('published', 'superseded') then
            raise exception 'published results are immutable';
        end if;
        return old;
    end if;
    if old.status in ('published', 'superseded') and (
        new.canonical is distinct from old.canonical or new.digest is distinct from old.digest
        or new.version is distinct from old.version or new.round_id is distinct from old.round_id
        or new.published_at is distinct from old.published_at
        or not (new.status = old.status or (old.status = 'published' and new.status = 'superseded'))
    ) then
        raise exception 'published results are immutable';
    end if;
    return new;
end;
$$ language plpgsql;
create trigger result_versions_guard before update or delete on result_versions
    for each row execute function guard_published_results();

alter table application_events drop constraint application_events_kind_check;
alter table application_events add constraint application_events_kind_check check (kind in (
    'submitted', 'updated', 'under_review', 'eligible', 'needs_correction', 'rejected',
    'corrected', 'fee_paid', 'scheduled', 'attendance_confirmed', 'withdrawn',
    'result_published'));
