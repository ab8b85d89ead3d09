-- Penalties on candidates for breaking the exam rules (Circular 22/2025): the invigilator
-- records one in the room with a short report; the council chair confirms or dismisses it
-- when results are compiled. A confirmed reprimand takes 25 % off that test's score, a
-- warning 50 %; suspension annuls the test and bars the later ones; annulment voids the
-- candidate's results. Results are not computed while one waits for the chair.
create table penalties (
    id             uuid primary key default gen_random_uuid(),
    round_id       uuid not null references rounds (id),
    application_id uuid not null references applications (id),
    session_id     uuid not null references exam_sessions (id),
    stage          smallint not null check (stage in (1, 2)),
    kind           text not null check (kind in ('reprimand', 'warning', 'suspension', 'annulment')),
    report         text not null check (length(report) between 1 and 1000),
    recorded_by    uuid not null references users (id),
    recorded_at    timestamptz not null default now(),
    decision       text check (decision in ('confirmed', 'dismissed')),
    decision_note  text check (length(decision_note) <= 1000),
    decided_by     uuid references users (id),
    decided_at     timestamptz,
    check ((decision is null) = (decided_by is null) and (decision is null) = (decided_at is null))
);
create index penalties_round_idx on penalties (round_id, recorded_at);
create index penalties_application_idx on penalties (application_id);

alter table application_events drop constraint application_events_kind_check;
alter table application_events add constraint application_events_kind_check check (kind in (
    'submitted', 'updated', 'under_review', 'eligible', 'needs_correction', 'rejected',
    'corrected', 'fee_paid', 'scheduled', 'attendance_confirmed', 'withdrawn',
    'result_published', 'dossier_completed', 'dossier_failed', 'recognised',
    'appeal_filed', 'appeal_fee_paid', 'appeal_answered', 'penalty_decided'));
