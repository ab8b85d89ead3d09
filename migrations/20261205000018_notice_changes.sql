-- The one change a published notice may have (Decree 170/2025 Art 15): decided by the head of
-- the authority at least 10 days before the exams' opening session, published with its date;
-- the application window restarts from it. One row per round: a second change is refused.
create table notice_changes (
    round_id          uuid primary key references rounds (id),
    decided_by        text not null check (length(decided_by) between 1 and 200),
    document_ref      text not null check (length(document_ref) between 1 and 200),
    decided_on        date not null,
    notice_before     text not null,
    notice_after      text not null,
    closes_before     timestamptz not null,
    closes_after      timestamptz not null,
    recorded_by       uuid not null references users (id),
    changed_at        timestamptz not null
);

create function refuse_notice_change_edit() returns trigger as $$
begin
    raise exception 'a published notice change is kept as published';
end;
$$ language plpgsql;
create trigger notice_changes_guard before update or delete on notice_changes
    for each row execute function refuse_notice_change_edit();
