-- Rank and method per position (Decree 170/2025 Art 5, 9, 11, as amended by Decree 300/2026):
-- the rank (ngạch) and the method (thi tuyển, or xét tuyển for one of the three groups of
-- Art 5), from which the law derives the tests. Positions of rounds under earlier rule sets
-- have neither and keep the stage 1 every position had then.
alter table positions
    add column rank text check (rank in
        ('nhan_vien', 'can_su', 'chuyen_vien', 'chuyen_vien_chinh', 'chuyen_vien_cao_cap')),
    add column method text check (method in ('exam', 'review')),
    add column review_group text check (review_group in ('vung_kho_khan', 'cu_tuyen', 'tai_nang')),
    -- What stage 1 is: a computer test the portal schedules and scores, none, or checking
    -- the conditions declared on Mẫu 01 (xét tuyển).
    add column stage1 text not null default 'computer_test'
        check (stage1 in ('none', 'computer_test', 'conditions_check')),
    add constraint positions_plan_check check (
        (rank is null and method is null and review_group is null)
        or (rank is not null and method = 'exam' and review_group is null)
        or (rank is not null and method = 'review' and review_group is not null));

-- The oral examination (vấn đáp) and the written test on computer.
alter table positions drop constraint positions_stage2_format_check;
alter table positions add constraint positions_stage2_format_check check (stage2_format in
    ('interview', 'written', 'practical', 'combined', 'project_defence', 'oral', 'computer_written'));
