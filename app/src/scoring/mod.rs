//! Scoring: the marking rules (marks, double-marking reconciliation, averages, weights, the
//! stage-1 pass rule). Boards, anonymous codes, entry, import, locking and the audit trail
//! build on these.

pub mod marks;
