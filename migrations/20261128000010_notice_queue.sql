-- Notices waiting to be told: publishing a round's results queues one row per candidate in
-- the publishing transaction (so none can be lost), and every server process moves them in
-- batches into each application's timeline, the applicant's notifications and the e-mail
-- outbox. A national round's publication then takes as long as making the result public,
-- not as long as writing three rows for each of a million candidates in one transaction.
-- No foreign keys: rows are checked when they are delivered (an application gone by then is
-- skipped), which is what makes queueing them cheap.
create table notice_queue (
    id             bigint generated always as identity primary key,
    application_id uuid not null,
    kind           text not null,
    reason         text not null,
    actor_id       uuid,
    queued_at      timestamptz not null default now()
);
