-- Online applications: the applicant's profile (Mẫu 01), a draft per round, the submitted
-- application with its status history, supporting documents, notifications and the e-mail
-- outbox. Nothing here is deleted by the application: replaced documents and every status
-- change are kept.

-- The Mẫu 01 profile as the applicant last saved it; it may be incomplete (a draft). It is
-- reused across rounds and copied into each application when submitted.
create table applicant_profiles (
    user_id    uuid primary key references users (id) on delete cascade,
    data       jsonb not null,
    updated_at timestamptz not null default now()
);
create trigger applicant_profiles_updated_at before update on applicant_profiles
    for each row execute function set_updated_at();

-- What the applicant has chosen for one round so far: the position, the ranked units of a
-- shared position and the priority category claimed.
create table application_drafts (
    applicant_id  uuid not null references users (id) on delete cascade,
    round_id      uuid not null references rounds (id) on delete cascade,
    position_id   uuid references positions (id) on delete set null,
    preferences   uuid[] not null default '{}',
    priority_code text not null default '',
    updated_at    timestamptz not null default now(),
    primary key (applicant_id, round_id)
);
create trigger application_drafts_updated_at before update on application_drafts
    for each row execute function set_updated_at();

-- The table existed as a placeholder for the public counts; no installation has rows in it yet,
-- so the new columns can be required.
alter table applications
    add column receipt_code  text not null unique,
    add column national_id   text not null check (national_id ~ '^[0-9]{12}$'),
    add column full_name     text not null,
    add column date_of_birth date not null,
    -- Unit ids in the applicant's order of preference (one unit for an unshared position).
    add column preferences   uuid[] not null default '{}',
    add column priority_code text not null default '',
    -- The profile and choices exactly as submitted (the latest submitted version).
    add column form          jsonb not null,
    add column updated_at    timestamptz not null default now(),
    add column status_reason text,
    add column fix_by        timestamptz,
    add column fee_amount    bigint check (fee_amount >= 0),
    add column fee_paid_at   timestamptz,
    add column fee_reference text,
    add constraint applications_status_check check (status in
        ('submitted', 'under_review', 'eligible', 'needs_correction', 'rejected')),
    add constraint applications_round_national_id_key unique (round_id, national_id),
    add constraint applications_fee_check check ((fee_paid_at is null) = (fee_amount is null));
create trigger applications_updated_at before update on applications
    for each row execute function set_updated_at();
create index applications_round_status_idx on applications (round_id, status);
create index applications_applicant_idx on applications (applicant_id);

-- Every step of an application's life, in order: the applicant's status timeline.
create table application_events (
    id             bigint generated always as identity primary key,
    application_id uuid not null references applications (id) on delete cascade,
    at             timestamptz not null default now(),
    kind           text not null check (kind in ('submitted', 'updated', 'under_review', 'eligible',
                       'needs_correction', 'rejected', 'corrected', 'fee_paid')),
    reason         text,
    fix_by         timestamptz,
    actor_id       uuid references users (id)
);
create index application_events_application_idx on application_events (application_id, id);

-- Supporting documents for one round's application. Replacing a document keeps the old one
-- (superseded_at set); only current documents are shown and checked.
create table application_documents (
    id            uuid primary key default gen_random_uuid(),
    applicant_id  uuid not null references users (id) on delete cascade,
    round_id      uuid not null references rounds (id) on delete cascade,
    kind          text not null check (kind in ('degree', 'priority', 'other')),
    file_name     text not null check (length(file_name) between 1 and 255),
    content_type  text not null check (content_type in ('application/pdf', 'image/jpeg', 'image/png')),
    byte_size     integer not null check (byte_size > 0),
    sha256        text not null check (sha256 ~ '^[0-9a-f]{64}$'),
    content       bytea not null,
    uploaded_at   timestamptz not null default now(),
    superseded_at timestamptz,
    superseded_by uuid references application_documents (id)
);
create index application_documents_owner_idx on application_documents (applicant_id, round_id)
    where superseded_at is null;

-- What a user is told in the portal; the text is rendered in the reader's language from kind.
create table notifications (
    id             bigint generated always as identity primary key,
    user_id        uuid not null references users (id) on delete cascade,
    application_id uuid references applications (id) on delete cascade,
    kind           text not null,
    reason         text,
    created_at     timestamptz not null default now(),
    read_at        timestamptz
);
create index notifications_user_idx on notifications (user_id, id desc);

-- E-mails waiting to be sent. The mailer sends them over SMTP when configured; otherwise they
-- stay here (staff can read them) and the server prints them to its log.
create table email_outbox (
    id         bigint generated always as identity primary key,
    to_address text not null,
    subject    text not null,
    body       text not null,
    created_at timestamptz not null default now(),
    status     text not null default 'pending' check (status in ('pending', 'sent', 'logged', 'failed')),
    attempts   integer not null default 0,
    last_error text,
    sent_at    timestamptz
);
create index email_outbox_pending_idx on email_outbox (id) where status = 'pending';
