-- Exam day: invigilators assigned to rooms, staff members' declared relationships with
-- candidates (conflicts of interest), and attendance as the invigilators record it.

create table invigilator_assignments (
    session_id  uuid not null references exam_sessions (id) on delete cascade,
    room_id     uuid not null references rooms (id),
    user_id     uuid not null references users (id),
    assigned_by uuid references users (id),
    assigned_at timestamptz not null default now(),
    primary key (session_id, room_id, user_id),
    -- One room at a time: a person cannot watch two rooms of the same session.
    unique (session_id, user_id)
);

-- "I am related to this candidate": the staff member may not invigilate (or, later, mark)
-- that candidate.
create table conflict_declarations (
    round_id       uuid not null references rounds (id) on delete cascade,
    staff_id       uuid not null references users (id),
    application_id uuid not null references applications (id),
    relationship   text not null check (length(relationship) between 1 and 200),
    declared_by    uuid references users (id),
    declared_at    timestamptz not null default now(),
    primary key (round_id, staff_id, application_id)
);

-- The latest mark for each candidate and stage; every mark ever made is in the log below.
create table attendance (
    application_id uuid not null references applications (id),
    stage          smallint not null check (stage in (1, 2)),
    session_id     uuid not null references exam_sessions (id),
    status         text not null check (status in ('present', 'absent', 'excused', 'violation', 'incident')),
    note           text check (length(note) <= 500),
    marked_by      uuid not null references users (id),
    marked_at      timestamptz not null default now(),
    primary key (application_id, stage),
    check (status not in ('violation', 'incident', 'excused') or note is not null)
);

create table attendance_log (
    id             bigint generated always as identity primary key,
    application_id uuid not null references applications (id),
    stage          smallint not null,
    session_id     uuid not null references exam_sessions (id),
    status         text not null,
    note           text,
    marked_by      uuid not null references users (id),
    marked_at      timestamptz not null default now()
);
create index attendance_log_application_idx on attendance_log (application_id, stage, id);
