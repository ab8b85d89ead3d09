-- The public-holiday calendar, kept as data: every legal clock of Decree 170/2025 counted in
-- working days skips weekends and these holidays, and counts a weekend day recorded as a
-- working day (the Saturday worked in exchange for a day off). An administrator keeps it up
-- to date from the government's yearly announcement; changes are written to audit_events.
create table calendar_days (
    day        date primary key,
    kind       text not null check (kind in ('holiday', 'working')),
    name       text not null check (length(name) between 1 and 200),
    changed_by uuid references users (id),
    changed_at timestamptz not null default now()
);

-- Seeded with the days off of the Labour Code 2019 Art 112 as the government set them for
-- officials (công chức, viên chức). Weekend days inside a break are not listed: they are not
-- working days anyway. 2027 follows the Code mechanically (a holiday on a weekend is given on
-- the next working day); check it against the announcement when it comes.
insert into calendar_days (day, kind, name) values
    ('2025-01-01', 'holiday', 'Tết Dương lịch'),
    ('2025-01-27', 'holiday', 'Tết Nguyên đán Ất Tỵ'),
    ('2025-01-28', 'holiday', 'Tết Nguyên đán Ất Tỵ'),
    ('2025-01-29', 'holiday', 'Tết Nguyên đán Ất Tỵ'),
    ('2025-01-30', 'holiday', 'Tết Nguyên đán Ất Tỵ'),
    ('2025-01-31', 'holiday', 'Tết Nguyên đán Ất Tỵ'),
    ('2025-04-07', 'holiday', 'Giỗ Tổ Hùng Vương (10/3 âm lịch)'),
    ('2025-04-26', 'working', 'Làm bù cho ngày nghỉ 02/5/2025'),
    ('2025-04-30', 'holiday', 'Ngày Chiến thắng 30/4'),
    ('2025-05-01', 'holiday', 'Ngày Quốc tế Lao động 1/5'),
    ('2025-05-02', 'holiday', 'Nghỉ hoán đổi (làm bù thứ Bảy 26/4/2025)'),
    ('2025-09-01', 'holiday', 'Quốc khánh'),
    ('2025-09-02', 'holiday', 'Quốc khánh 2/9'),
    ('2026-01-01', 'holiday', 'Tết Dương lịch'),
    ('2026-02-16', 'holiday', 'Tết Nguyên đán Bính Ngọ'),
    ('2026-02-17', 'holiday', 'Tết Nguyên đán Bính Ngọ'),
    ('2026-02-18', 'holiday', 'Tết Nguyên đán Bính Ngọ'),
    ('2026-02-19', 'holiday', 'Tết Nguyên đán Bính Ngọ'),
    ('2026-02-20', 'holiday', 'Tết Nguyên đán Bính Ngọ'),
    ('2026-04-27', 'holiday', 'Nghỉ bù Giỗ Tổ Hùng Vương (10/3 âm lịch, Chủ nhật 26/4)'),
    ('2026-04-30', 'holiday', 'Ngày Chiến thắng 30/4'),
    ('2026-05-01', 'holiday', 'Ngày Quốc tế Lao động 1/5'),
    ('2026-09-01', 'holiday', 'Quốc khánh'),
    ('2026-09-02', 'holiday', 'Quốc khánh 2/9'),
    ('2027-01-01', 'holiday', 'Tết Dương lịch'),
    ('2027-02-05', 'holiday', 'Tết Nguyên đán Đinh Mùi'),
    ('2027-02-08', 'holiday', 'Tết Nguyên đán Đinh Mùi'),
    ('2027-02-09', 'holiday', 'Tết Nguyên đán Đinh Mùi'),
    ('2027-02-10', 'holiday', 'Nghỉ bù Tết Nguyên đán Đinh Mùi'),
    ('2027-02-11', 'holiday', 'Nghỉ bù Tết Nguyên đán Đinh Mùi'),
    ('2027-04-16', 'holiday', 'Giỗ Tổ Hùng Vương (10/3 âm lịch)'),
    ('2027-04-30', 'holiday', 'Ngày Chiến thắng 30/4'),
    ('2027-05-03', 'holiday', 'Nghỉ bù Ngày Quốc tế Lao động (1/5 là thứ Bảy)'),
    ('2027-09-02', 'holiday', 'Quốc khánh 2/9'),
    ('2027-09-03', 'holiday', 'Quốc khánh');
