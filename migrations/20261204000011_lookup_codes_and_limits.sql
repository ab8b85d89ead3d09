-- The result lookup's secret. The published result names only the winners and lists everyone
-- else by candidate number, without date of birth; a candidate finds their own line with their
-- number and this personal code, printed on their admission ticket and shown on their
-- application page, and held by no public file. Eight characters of Crockford's base 32
-- (40 bits), drawn from PostgreSQL's strong random source (gen_random_uuid); the low five bits
-- of a random byte are uniform over the 32 characters.
create function new_lookup_code() returns text
language sql volatile
as $$
    select string_agg(
               substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', (get_byte(b, i) & 31) + 1, 1), ''
               order by i)
    from (select uuid_send(gen_random_uuid()) as b) r,
         unnest(array[0, 1, 2, 3, 4, 5, 10, 11]) as i
$$;

alter table applications add column lookup_code text;
update applications set lookup_code = new_lookup_code();
alter table applications alter column lookup_code set default new_lookup_code();
alter table applications alter column lookup_code set not null;

-- Limits shared by every server process (registration, result lookup): one row per counted
-- action, under an advisory lock on its kind and key, so N processes hold one limit together.
create table rate_events (
    id  bigint generated always as identity primary key,
    kind text not null,
    key  text not null,
    at   timestamptz not null default now()
);
create index rate_events_key_idx on rate_events (kind, key, at);
create index rate_events_at_idx on rate_events (at);
