-- Scoring: the marking board of a round, stage-1 results from the testing system, stage-2
-- papers under anonymous codes (phách), double marking, double entry of paper sheets, the
-- chair's decisions, locking and decoding, and an append-only audit of every mark.

-- The board: chairs resolve and lock, markers mark, clerks transcribe paper sheets.
create table board_members (
    round_id uuid not null references rounds (id) on delete cascade,
    user_id  uuid not null references users (id),
    duty     text not null check (duty in ('chair', 'marker', 'clerk')),
    added_by uuid references users (id),
    added_at timestamptz not null default now(),
    primary key (round_id, user_id, duty)
);

-- What each marker marks: a position's written paper (double-marked under codes) or its
-- panel (interview, practical, project defence: every panel member marks every candidate).
create table marker_assignments (
    round_id    uuid not null references rounds (id) on delete cascade,
    user_id     uuid not null references users (id),
    position_id uuid not null references positions (id) on delete cascade,
    part        text not null check (part in ('written', 'panel')),
    added_by    uuid references users (id),
    added_at    timestamptz not null default now(),
    primary key (user_id, position_id, part)
);

-- Where marking of a round's stage stands: started (papers and codes made), locked by the
-- chair (no mark changes), decoded (codes mapped back to candidates, scores ready).
create table marking_stages (
    round_id   uuid not null references rounds (id) on delete cascade,
    stage      smallint not null check (stage in (1, 2)),
    started_at timestamptz,
    started_by uuid references users (id),
    locked_at  timestamptz,
    locked_by  uuid references users (id),
    decoded_at timestamptz,
    decoded_by uuid references users (id),
    primary key (round_id, stage),
    check (decoded_at is null or locked_at is not null)
);

-- Stage 1 (computer test) as the testing system reported it, one row per candidate.
create table stage1_results (
    application_id     uuid primary key references applications (id),
    round_id           uuid not null references rounds (id),
    questions          smallint not null check (questions > 0),
    correct            smallint not null check (correct >= 0 and correct <= questions),
    language_questions smallint check (language_questions > 0),
    language_correct   smallint,
    language_exempt    boolean not null default false,
    passed             boolean not null,
    source             text not null,
    imported_by        uuid not null references users (id),
    imported_at        timestamptz not null default now(),
    check ((language_questions is null) = (language_correct is null)),
    check (language_correct is null or language_correct between 0 and language_questions)
);
create index stage1_results_round_idx on stage1_results (round_id);

-- One paper per candidate and part. A written paper's code is random; a panel's is the
-- candidate number (the panel sees the candidate anyway).
create table papers (
    id          uuid primary key default gen_random_uuid(),
    round_id    uuid not null references rounds (id) on delete cascade,
    position_id uuid not null references positions (id),
    part        text not null check (part in ('written', 'panel')),
    code        text not null check (length(code) between 4 and 32),
    unique (round_id, part, code),
    unique (id, part)
);
create index papers_position_idx on papers (position_id, part);

-- Whose paper it is. Only the chair and HR read this table (the server functions that do
-- are the only ones that join it); markers work from codes.
create table paper_identities (
    paper_id       uuid primary key,
    part           text not null,
    application_id uuid not null references applications (id),
    foreign key (paper_id, part) references papers (id, part) on delete cascade,
    unique (application_id, part)
);

-- Who marks each paper: slots 1 and 2 for a written paper, one slot per panel member.
create table paper_markers (
    paper_id  uuid not null references papers (id) on delete cascade,
    marker_id uuid not null references users (id),
    slot      smallint not null check (slot between 1 and 50),
    primary key (paper_id, marker_id),
    unique (paper_id, slot)
);
create index paper_markers_marker_idx on paper_markers (marker_id);

-- The mark each marker gave each paper, in hundredths of a point (its history is in
-- mark_audit). `version` lets two editors of one mark never overwrite each other silently.
create table marks (
    paper_id   uuid not null,
    marker_id  uuid not null,
    mark       integer not null check (mark >= 0),
    version    integer not null default 1,
    entered_by uuid not null references users (id),
    entered_at timestamptz not null default now(),
    primary key (paper_id, marker_id),
    foreign key (paper_id, marker_id) references paper_markers (paper_id, marker_id) on delete cascade
);

-- Double entry of a marker's paper sheet: two different clerks type it blind.
create table sheet_entries (
    paper_id   uuid not null,
    marker_id  uuid not null,
    entry      smallint not null check (entry in (1, 2)),
    mark       integer not null check (mark >= 0),
    version    integer not null default 1,
    clerk_id   uuid not null references users (id),
    entered_at timestamptz not null default now(),
    primary key (paper_id, marker_id, entry),
    unique (paper_id, marker_id, clerk_id),
    foreign key (paper_id, marker_id) references paper_markers (paper_id, marker_id) on delete cascade
);

-- The chair's mark for a written paper whose two marks were too far apart.
create table chair_decisions (
    paper_id   uuid primary key references papers (id) on delete cascade,
    mark       integer not null check (mark >= 0),
    reason     text not null check (length(reason) between 1 and 500),
    version    integer not null default 1,
    decided_by uuid not null references users (id),
    decided_at timestamptz not null default now()
);

-- Stage-2 scores once decoded, out of 100 in hundredths: what ranking reads.
create table stage2_scores (
    application_id uuid primary key references applications (id),
    round_id       uuid not null references rounds (id),
    written        integer,
    panel          integer,
    score          integer not null check (score between 0 and 10000),
    decoded_at     timestamptz not null default now()
);
create index stage2_scores_round_idx on stage2_scores (round_id);

-- Every mark ever entered, changed, transcribed, reconciled, decided, locked or decoded.
create table mark_audit (
    id        bigint generated always as identity primary key,
    round_id  uuid not null references rounds (id),
    paper_id  uuid references papers (id),
    marker_id uuid references users (id),
    action    text not null,
    old_mark  integer,
    new_mark  integer,
    reason    text,
    actor_id  uuid not null references users (id),
    at        timestamptz not null default now()
);
create index mark_audit_paper_idx on mark_audit (paper_id, id);

-- Append-only: no role may update, delete or truncate it, the application's included.
create function refuse_mark_audit_change() returns trigger as $$
begin
    raise exception 'mark_audit is append-only';
end;
$$ language plpgsql;
create trigger mark_audit_append_only before update or delete on mark_audit
    for each row execute function refuse_mark_audit_change();
create trigger mark_audit_no_truncate before truncate on mark_audit
    for each statement execute function refuse_mark_audit_change();
revoke update, delete, truncate on mark_audit from public, current_user;

-- Once the chair locks stage 2, its marks cannot change (appeals have their own records).
create function refuse_locked_mark_change() returns trigger as $$
declare
    target uuid := case when tg_op = 'DELETE' then old.paper_id else new.paper_id end;
begin
    if exists (select 1 from papers p join marking_stages s
                 on s.round_id = p.round_id and s.stage = 2
               where p.id = target and s.locked_at is not null) then
        raise exception 'marking of this stage is locked';
    end if;
    return case when tg_op = 'DELETE' then old else new end;
end;
$$ language plpgsql;
create trigger marks_locked before insert or update or delete on marks
    for each row execute function refuse_locked_mark_change();
create trigger sheet_entries_locked before insert or update or delete on sheet_entries
    for each row execute function refuse_locked_mark_change();
create trigger chair_decisions_locked before insert or update or delete on chair_decisions
    for each row execute function refuse_locked_mark_change();
