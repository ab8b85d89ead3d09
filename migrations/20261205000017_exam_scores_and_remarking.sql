-- The legal sequence after marking (Decree 170/2025 Art 17–18, Circular 22/2025): each
-- position's exam scores are published before any result, appeals run from that publication,
-- and re-marking follows Art 17–18 (a third re-marker when the two differ, the council chair's
-- minuted decision when the re-mark moves the published mark by 5 points or more).

-- One publication per position, never changed nor deleted: the list as published (canonical
-- JSON) and its SHA-256 digest.
create table score_publications (
    position_id  uuid primary key references positions (id),
    round_id     uuid not null references rounds (id),
    published_by uuid not null references users (id),
    published_at timestamptz not null,
    canonical    text not null,
    digest       text not null check (digest ~ '^[0-9a-f]{64}$')
);
create index score_publications_round_idx on score_publications (round_id, published_at);

create function refuse_score_publication_change() returns trigger as $$
begin
    raise exception 'published exam scores are immutable';
end;
$$ language plpgsql;
create trigger score_publications_guard before update or delete on score_publications
    for each row execute function refuse_score_publication_change();

-- A third re-marker (slot 3) when the two re-marks are 10 points or more apart.
alter table appeal_markers drop constraint appeal_markers_slot_check;
alter table appeal_markers add constraint appeal_markers_slot_check check (slot in (1, 2, 3));

-- The council chair's decision, after conferring with both marking chiefs, when the re-mark is
-- 5 points or more from the published mark: the mark and the minutes (biên bản).
alter table appeals
    add column council_mark    integer check (council_mark >= 0),
    add column council_minutes text check (council_minutes is null or length(council_minutes) between 1 and 1000),
    add column council_version integer not null default 0,
    add column council_by      uuid references users (id),
    add column council_at      timestamptz,
    add constraint appeals_council_check check ((council_mark is null) = (council_minutes is null));

create or replace function guard_answered_appeal() returns trigger as $$
begin
    if tg_op = 'DELETE' or (old.answered_at is not null and (
        new.new_mark is distinct from old.new_mark
        or new.answered_at is distinct from old.answered_at
        or new.decision_mark is distinct from old.decision_mark
        or new.council_mark is distinct from old.council_mark
        or new.original_mark is distinct from old.original_mark
        or new.code is distinct from old.code)) then
        raise exception 'appeals are kept as answered';
    end if;
    return new;
end;
$$ language plpgsql;

alter table application_events drop constraint application_events_kind_check;
alter table application_events add constraint application_events_kind_check check (kind in (
    'submitted', 'updated', 'under_review', 'eligible', 'needs_correction', 'rejected',
    'corrected', 'fee_paid', 'scheduled', 'attendance_confirmed', 'withdrawn',
    'result_published', 'dossier_completed', 'dossier_failed', 'recognised',
    'appeal_filed', 'appeal_fee_paid', 'appeal_answered', 'penalty_decided',
    'scores_published'));
