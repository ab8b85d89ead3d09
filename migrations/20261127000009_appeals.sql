-- Appeals (phúc khảo) of written papers: filed by the candidate within the rule set's window
-- after the result notice, the fee recorded by HR, the paper re-marked under a new anonymous
-- code by two members of the appeal board who did not mark it, far-apart re-marks decided by
-- the chair, and the answer applied to the stage-2 score (audited in mark_audit).

alter table board_members drop constraint board_members_duty_check;
alter table board_members add constraint board_members_duty_check
    check (duty in ('chair', 'marker', 'clerk', 'appeal'));

create table appeals (
    id              uuid primary key default gen_random_uuid(),
    round_id        uuid not null references rounds (id),
    application_id  uuid not null unique references applications (id),
    -- The written paper appealed against.
    paper_id        uuid not null unique references papers (id),
    reason          text check (reason is null or length(reason) between 1 and 1000),
    -- The paper's mark when the appeal was filed, in hundredths of the paper's points.
    original_mark   integer not null check (original_mark >= 0),
    fee_dong        integer not null check (fee_dong >= 0),
    filed_at        timestamptz not null default now(),
    fee_reference   text check (fee_reference is null or length(fee_reference) between 1 and 100),
    fee_recorded_by uuid references users (id),
    fee_recorded_at timestamptz,
    -- The code the appeal board sees instead of the candidate (never the marking code).
    code            text check (code is null or length(code) between 4 and 32),
    -- The chair's mark when the two re-marks are too far apart.
    decision_mark   integer check (decision_mark >= 0),
    decision_reason text check (decision_reason is null or length(decision_reason) between 1 and 500),
    decision_version integer not null default 0,
    decided_by      uuid references users (id),
    decided_at      timestamptz,
    -- The answer: the paper's mark after re-marking.
    new_mark        integer check (new_mark >= 0),
    answered_by     uuid references users (id),
    answered_at     timestamptz,
    unique (round_id, code),
    check ((fee_reference is null) = (fee_recorded_at is null)),
    check (code is null or fee_recorded_at is not null),
    check ((answered_at is null) = (new_mark is null)),
    check ((decision_mark is null) = (decision_reason is null))
);
create index appeals_round_idx on appeals (round_id);

-- The two re-markers of each appeal.
create table appeal_markers (
    appeal_id uuid not null references appeals (id),
    marker_id uuid not null references users (id),
    slot      smallint not null check (slot in (1, 2)),
    primary key (appeal_id, marker_id),
    unique (appeal_id, slot)
);
create index appeal_markers_marker_idx on appeal_markers (marker_id);

create table appeal_marks (
    appeal_id  uuid not null,
    marker_id  uuid not null,
    mark       integer not null check (mark >= 0),
    version    integer not null default 1,
    entered_at timestamptz not null default now(),
    primary key (appeal_id, marker_id),
    foreign key (appeal_id, marker_id) references appeal_markers (appeal_id, marker_id)
);

-- An answered appeal is final: its re-marks and the chair's decision no longer change.
create function refuse_answered_appeal_change() returns trigger as $$
declare
    target uuid := case when tg_op = 'DELETE' then old.appeal_id else new.appeal_id end;
begin
    if exists (select 1 from appeals where id = target and answered_at is not null) then
        raise exception 'this appeal has been answered';
    end if;
    return case when tg_op = 'DELETE' then old else new end;
end;
$$ language plpgsql;
create trigger appeal_marks_answered before insert or update or delete on appeal_marks
    for each row execute function refuse_answered_appeal_change();

create function guard_answered_appeal() returns trigger as $$
begin
    if tg_op = 'DELETE' or (old.answered_at is not null and (
        new.new_mark is distinct from old.new_mark
        or new.answered_at is distinct from old.answered_at
        or new.decision_mark is distinct from old.decision_mark
        or new.original_mark is distinct from old.original_mark
        or new.code is distinct from old.code)) then
        raise exception 'appeals are kept as answered';
    end if;
    return new;
end;
$$ language plpgsql;
create trigger appeals_guard before update or delete on appeals
    for each row execute function guard_answered_appeal();

alter table application_events drop constraint application_events_kind_check;
alter table application_events add constraint application_events_kind_check check (kind in (
    'submitted', 'updated', 'under_review', 'eligible', 'needs_correction', 'rejected',
    'corrected', 'fee_paid', 'scheduled', 'attendance_confirmed', 'withdrawn',
    'result_published', 'dossier_completed', 'dossier_failed', 'recognised',
    'appeal_filed', 'appeal_fee_paid', 'appeal_answered'));
