-- Exam scheduling: venues and rooms, exam sessions of each stage with the positions that sit
-- them, seats and candidate numbers, the publication of a stage's schedule, and the
-- candidates' confirmations that they will attend.

create table venues (
    id         uuid primary key default gen_random_uuid(),
    round_id   uuid not null references rounds (id) on delete cascade,
    name       text not null check (length(name) between 1 and 200),
    address    text not null check (length(address) between 1 and 300),
    map_note   text not null default '' check (length(map_note) <= 1000),
    created_at timestamptz not null default now(),
    unique (round_id, name)
);

create table rooms (
    id       uuid primary key default gen_random_uuid(),
    venue_id uuid not null references venues (id) on delete cascade,
    name     text not null check (length(name) between 1 and 100),
    capacity integer not null check (capacity between 1 and 1000),
    computer boolean not null default false,
    unique (venue_id, name)
);

-- A time slot at a venue for one stage; stage 1 is the computer test.
create table exam_sessions (
    id               uuid primary key default gen_random_uuid(),
    round_id         uuid not null references rounds (id) on delete cascade,
    stage            smallint not null check (stage in (1, 2)),
    name             text not null check (length(name) between 1 and 200),
    venue_id         uuid not null references venues (id),
    starts_at        timestamptz not null,
    duration_minutes integer not null check (duration_minutes between 5 and 600),
    needs_computer   boolean not null default false,
    created_at       timestamptz not null default now(),
    unique (round_id, stage, name)
);

-- Which positions sit a session; a position sits one session per stage.
create table session_positions (
    session_id  uuid not null references exam_sessions (id) on delete cascade,
    position_id uuid not null references positions (id),
    stage       smallint not null check (stage in (1, 2)),
    primary key (session_id, position_id),
    unique (position_id, stage)
);

-- Where each candidate sits in each stage.
create table seats (
    application_id uuid not null references applications (id),
    stage          smallint not null check (stage in (1, 2)),
    session_id     uuid not null references exam_sessions (id),
    room_id        uuid not null references rooms (id),
    seat           integer not null check (seat >= 1),
    assigned_at    timestamptz not null default now(),
    primary key (application_id, stage),
    unique (session_id, room_id, seat)
);
create index seats_session_idx on seats (session_id, room_id);

-- Candidate numbers (số báo danh): given once, unique in the round, kept for both stages.
alter table rounds add column candidate_prefix text not null default 'TS'
    check (candidate_prefix ~ '^[A-Z0-9]{1,4}$');
create table candidate_numbers (
    application_id uuid primary key references applications (id),
    round_id       uuid not null references rounds (id),
    number         integer not null check (number >= 1),
    unique (round_id, number)
);

-- A stage's schedule once candidates have been told; confirmations are asked until the
-- deadline.
create table schedule_publications (
    round_id             uuid not null references rounds (id) on delete cascade,
    stage                smallint not null check (stage in (1, 2)),
    published_at         timestamptz not null default now(),
    published_by         uuid references users (id),
    confirmation_deadline timestamptz not null,
    primary key (round_id, stage)
);

create table attendance_confirmations (
    application_id uuid not null references applications (id),
    stage          smallint not null check (stage in (1, 2)),
    answer         text not null check (answer in ('confirmed', 'withdrawn')),
    answered_at    timestamptz not null default now(),
    primary key (application_id, stage)
);

-- New timeline steps: the schedule (admission ticket) and the candidate's answer.
alter table application_events drop constraint application_events_kind_check;
alter table application_events add constraint application_events_kind_check check (kind in (
    'submitted', 'updated', 'under_review', 'eligible', 'needs_correction', 'rejected',
    'corrected', 'fee_paid', 'scheduled', 'attendance_confirmed', 'withdrawn'));
