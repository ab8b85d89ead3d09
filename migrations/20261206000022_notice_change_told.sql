-- Everyone who applied is told when the notice changes (Decree 170/2025 Art 15): a step on
-- their timeline, a notification and an e-mail.
alter table application_events drop constraint application_events_kind_check;
alter table application_events add constraint application_events_kind_check check (kind in (
    'submitted', 'updated', 'under_review', 'eligible', 'needs_correction', 'rejected',
    'corrected', 'fee_paid', 'scheduled', 'attendance_confirmed', 'withdrawn',
    'result_published', 'dossier_completed', 'dossier_failed', 'recognised',
    'appeal_filed', 'appeal_fee_paid', 'appeal_answered', 'penalty_decided',
    'scores_published', 'dossier_fraud', 'dossier_no_show', 'appointed', 'reported_for_work',
    'not_reported', 'notice_changed'));
