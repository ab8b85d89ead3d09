-- Accounts, roles, login throttling, server-side sessions and the audit trail.

-- Keeps updated_at honest on every table that has one.
create or replace function set_updated_at() returns trigger as $$
begin
    new.updated_at = now();
    return new;
end;
$$ language plpgsql;

create table users (
    id            uuid primary key default gen_random_uuid(),
    -- Stored normalised (trimmed, lower-case) by the application's Email::parse.
    email         text not null unique check (email = lower(email) and length(email) between 3 and 254),
    full_name     text not null check (length(full_name) between 1 and 200),
    password_hash text not null,
    created_at    timestamptz not null default now(),
    updated_at    timestamptz not null default now(),
    created_by    uuid references users (id),
    disabled_at   timestamptz
);

create trigger users_updated_at before update on users
    for each row execute function set_updated_at();

create table user_roles (
    user_id    uuid not null references users (id) on delete cascade,
    role       text not null check (role in ('applicant', 'marker', 'board_chair', 'hr_officer', 'administrator')),
    granted_at timestamptz not null default now(),
    granted_by uuid references users (id),
    primary key (user_id, role)
);

-- Failed sign-ins, counted per account and per client address to slow down guessing.
create table login_failures (
    id          bigint generated always as identity primary key,
    email       text not null,
    client_addr text not null,
    failed_at   timestamptz not null default now()
);
create index login_failures_email_idx on login_failures (email, failed_at);
create index login_failures_client_idx on login_failures (client_addr, failed_at);

-- Who did what, when: written by the application, never updated or deleted.
create table audit_events (
    id         bigint generated always as identity primary key,
    at         timestamptz not null default now(),
    actor_id   uuid references users (id),
    action     text not null,
    subject_id uuid,
    details    jsonb not null default '{}'::jsonb
);
create index audit_events_subject_idx on audit_events (subject_id, at);

-- Server-side sessions, in the layout tower-sessions-sqlx-store expects, so that several
-- server processes share them.
create schema if not exists tower_sessions;
create table tower_sessions.session (
    id          text primary key not null,
    data        bytea not null,
    expiry_date timestamptz not null
);
create index session_expiry_idx on tower_sessions.session (expiry_date);
