-- A position may be reserved for ethnic-minority candidates (Decree 170/2025 Art 3.2.c): only
-- they may apply, so its places are ranked among them alone.
alter table positions add column ethnic_minority_only boolean not null default false;
