-- After the dossier (Decree 170/2025 Art 19 as amended by Decree 300/2026): the appointment
-- decision for a winner whose dossier is complete, and whether they reported for work within
-- the days it gives. One who does not report is struck off the same way as a winner whose
-- dossier failed: on the next cancelled list, their place to the next-ranked.
create table appointments (
    application_id        uuid primary key references dossier_outcomes (application_id),
    round_id              uuid not null references rounds (id),
    decision              text not null check (length(decision) between 1 and 300),
    decided_on            date not null,
    recorded_by           uuid not null references users (id),
    recorded_at           timestamptz not null,
    reported_on           date,
    not_reported_reason   text check (not_reported_reason is null
                                      or length(not_reported_reason) between 1 and 500),
    reporting_recorded_by uuid references users (id),
    reporting_recorded_at timestamptz,
    check (reported_on is null or not_reported_reason is null),
    check ((reporting_recorded_at is null) = (reported_on is null and not_reported_reason is null))
);
create index appointments_round_idx on appointments (round_id);

-- What is recorded stays: the decision never changes, and reporting is recorded once.
create function guard_appointment() returns trigger as $$
begin
    if tg_op = 'DELETE'
        or new.decision is distinct from old.decision
        or new.decided_on is distinct from old.decided_on
        or (old.reporting_recorded_at is not null and (
            new.reported_on is distinct from old.reported_on
            or new.not_reported_reason is distinct from old.not_reported_reason)) then
        raise exception 'a recorded appointment is kept as recorded';
    end if;
    return new;
end;
$$ language plpgsql;
create trigger appointments_guard before update or delete on appointments
    for each row execute function guard_appointment();

alter table application_events drop constraint application_events_kind_check;
alter table application_events add constraint application_events_kind_check check (kind in (
    'submitted', 'updated', 'under_review', 'eligible', 'needs_correction', 'rejected',
    'corrected', 'fee_paid', 'scheduled', 'attendance_confirmed', 'withdrawn',
    'result_published', 'dossier_completed', 'dossier_failed', 'recognised',
    'appeal_filed', 'appeal_fee_paid', 'appeal_answered', 'penalty_decided',
    'scores_published', 'dossier_fraud', 'dossier_no_show', 'appointed', 'reported_for_work',
    'not_reported'));
