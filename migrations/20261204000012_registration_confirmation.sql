-- A registration waits for its e-mail address to be confirmed: the account is created only
-- when the code sent to that address is typed in. An address that already has an account is
-- sent a note telling its owner instead, and the form answers the same either way, so it does
-- not tell anyone which addresses have accounts. One pending registration per address (a new
-- one replaces it); its code is stored as a SHA-256 digest and allows five tries.
create table pending_registrations (
    email         text primary key,
    full_name     text not null,
    password_hash text not null,
    code_hash     bytea not null,
    attempts      integer not null default 0,
    expires_at    timestamptz not null,
    created_at    timestamptz not null default now()
);
create index pending_registrations_expires_idx on pending_registrations (expires_at);
