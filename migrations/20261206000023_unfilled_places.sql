-- A place a published cancelled list freed that nobody left on the reserve list wants
-- (Decree 170/2025 Art 18 as amended): recorded when recognising the next-ranked finds no one,
-- so the list says so and the step's clock is done. The reserve list never grows, so this is
-- final.
create table unfilled_places (
    application_id uuid primary key references cancelled_list_entries (application_id),
    round_id       uuid not null references rounds (id),
    recorded_by    uuid not null references users (id),
    recorded_at    timestamptz not null
);
