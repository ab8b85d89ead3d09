-- After selection under Decree 300/2026 (Decree 170/2025 Art 18 as amended): a winner struck
-- off (incomplete dossier, fraud, or not coming to complete it) is listed on a published
-- cancelled list with the reason; only then are the next-ranked candidates recognised, in
-- order, with the head's recorded decision where they are still equal. A fraudster is refused
-- in the authority's next round.

-- What HR recorded: complete, or the ground for striking the winner off.
alter table dossier_outcomes add column outcome text;
update dossier_outcomes set outcome = case when completed then 'complete' else 'incomplete' end;
alter table dossier_outcomes
    alter column outcome set not null,
    add constraint dossier_outcomes_outcome_check
        check (outcome in ('complete', 'incomplete', 'fraud', 'no_show')),
    add constraint dossier_outcomes_completed_matches check (completed = (outcome = 'complete'));
create index dossier_outcomes_fraud_idx on dossier_outcomes (recorded_at) where outcome = 'fraud';

-- Each publication of the cancelled list, numbered per round; never changed nor deleted.
create table cancelled_lists (
    id           uuid primary key default gen_random_uuid(),
    round_id     uuid not null references rounds (id),
    version      integer not null check (version >= 1),
    published_by uuid not null references users (id),
    published_at timestamptz not null,
    unique (round_id, version)
);

-- The strike-offs a publication made public: each once.
create table cancelled_list_entries (
    application_id uuid primary key references dossier_outcomes (application_id),
    list_id        uuid not null references cancelled_lists (id)
);

create function refuse_cancelled_list_change() returns trigger as $$
begin
    raise exception 'a published cancelled list is immutable';
end;
$$ language plpgsql;
create trigger cancelled_lists_guard before update or delete on cancelled_lists
    for each row execute function refuse_cancelled_list_change();
create trigger cancelled_list_entries_guard before update or delete on cancelled_list_entries
    for each row execute function refuse_cancelled_list_change();

-- A next-ranked candidate recognised after a published cancelled list, and, when several were
-- still equal, the head's decision that chose them (who signed, the document).
alter table recognitions
    add column list_id       uuid references cancelled_lists (id),
    add column head_decision text check (head_decision is null or length(head_decision) between 1 and 500);

alter table application_events drop constraint application_events_kind_check;
alter table application_events add constraint application_events_kind_check check (kind in (
    'submitted', 'updated', 'under_review', 'eligible', 'needs_correction', 'rejected',
    'corrected', 'fee_paid', 'scheduled', 'attendance_confirmed', 'withdrawn',
    'result_published', 'dossier_completed', 'dossier_failed', 'recognised',
    'appeal_filed', 'appeal_fee_paid', 'appeal_answered', 'penalty_decided',
    'scores_published', 'dossier_fraud', 'dossier_no_show'));
