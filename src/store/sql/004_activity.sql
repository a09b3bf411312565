-- When the learner studied: the streak asks, day by day, whether any quiz answer falls in a
-- study day. review_log already has (pack_id, reviewed_ms).
CREATE INDEX quiz_answers_by_time ON quiz_answers (answered_at);
