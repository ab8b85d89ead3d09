-- After publication: whether each winner completed the dossier in time, and the reserve
-- candidates recognised in place of those who did not.

create table dossier_outcomes (
    application_id uuid primary key references applications (id),
    round_id       uuid not null references rounds (id),
    completed      boolean not null,
    reason         text check (reason is null or length(reason) between 1 and 500),
    recorded_by    uuid not null references users (id),
    recorded_at    timestamptz not null default now(),
    check (completed or reason is not null)
);

create table recognitions (
    application_id uuid primary key references applications (id),
    round_id       uuid not null references rounds (id),
    unit_code      text not null,
    -- The winner whose place this is.
    replaces       uuid not null unique references applications (id),
    recorded_by    uuid not null references users (id),
    recorded_at    timestamptz not null default now()
);

alter table application_events drop constraint application_events_kind_check;
alter table application_events add constraint application_events_kind_check check (kind in (
    'submitted', 'updated', 'under_review', 'eligible', 'needs_correction', 'rejected',
    'corrected', 'fee_paid', 'scheduled', 'attendance_confirmed', 'withdrawn',
    'result_published', 'dossier_completed', 'dossier_failed', 'recognised'));
