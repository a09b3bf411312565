-- The dashboard's answers per day and retention are counted from this index alone: only the
-- entries of the days shown are read, however long the history (issue 13). It starts with the
-- columns of review_log_by_time, which it replaces.
CREATE INDEX review_log_by_time_kind ON review_log (pack_id, reviewed_ms, state_before, rating);
DROP INDEX review_log_by_time;
