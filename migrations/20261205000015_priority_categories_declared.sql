-- Mẫu 01 declares every priority category that applies (Decree 170/2025 Art 6 as amended:
-- only the highest counts, and its certificate belongs to the winner's dossier, Art 18.1.b).
-- `priority_codes` holds them all; `priority_code` stays the one that counts (the highest
-- under the round's rule set), which is what ranking and every earlier reader use.
alter table application_drafts
    add column priority_codes text[] not null default '{}'
        check (cardinality(priority_codes) <= 20);
alter table applications
    add column priority_codes text[] not null default '{}'
        check (cardinality(priority_codes) <= 20);
update application_drafts set priority_codes = array[priority_code] where priority_code <> '';
update applications set priority_codes = array[priority_code] where priority_code <> '';
