-- When the learner studied each pack, by quarter hour (UTC milliseconds / 900,000), with how
-- many answers fell in it — every review, and every quiz answer with a choice, whatever the
-- attempt — kept by triggers. The streak reads the quarters of the last year and gives each
-- to its study day (every time zone's offset, and so every study day's start, is a whole number
-- of quarter hours), instead of asking the answers day by day.

CREATE TABLE study_quarters (
    pack_id TEXT NOT NULL,
    quarter INTEGER NOT NULL,
    answers INTEGER NOT NULL,
    PRIMARY KEY (pack_id, quarter)
) STRICT, WITHOUT ROWID;

-- A change of one answer in a quarter (+1 or -1) inserted here is added to `study_quarters`
-- (a quarter left with none goes) and leaves at once: the triggers below only say what changed.
CREATE TABLE study_quarters_change (
    pack_id TEXT,
    quarter INTEGER NOT NULL,
    delta   INTEGER NOT NULL
) STRICT;

-- (A change without a pack — its attempt already gone — counts nowhere.)
CREATE TRIGGER study_quarters_apply AFTER INSERT ON study_quarters_change
BEGIN
    INSERT INTO study_quarters (pack_id, quarter, answers)
    SELECT NEW.pack_id, NEW.quarter, NEW.delta WHERE NEW.pack_id IS NOT NULL
    ON CONFLICT (pack_id, quarter) DO UPDATE SET answers = answers + excluded.answers;
    DELETE FROM study_quarters
    WHERE pack_id = NEW.pack_id AND quarter = NEW.quarter AND answers <= 0;
    DELETE FROM study_quarters_change WHERE rowid = NEW.rowid;
END;

INSERT INTO study_quarters (pack_id, quarter, answers)
SELECT pack_id, quarter, COUNT(*)
FROM (SELECT pack_id, reviewed_ms / 900000 AS quarter FROM review_log
      UNION ALL
      SELECT a.pack_id, w.answered_at / 900000
      FROM quiz_answers w JOIN quiz_attempts a ON a.id = w.attempt_id
      WHERE w.chosen != '[]')
GROUP BY pack_id, quarter;

CREATE TRIGGER study_after_review_insert AFTER INSERT ON review_log
BEGIN
    INSERT INTO study_quarters_change VALUES (NEW.pack_id, NEW.reviewed_ms / 900000, 1);
END;

-- An answer undone.
CREATE TRIGGER study_after_review_delete AFTER DELETE ON review_log
BEGIN
    INSERT INTO study_quarters_change VALUES (OLD.pack_id, OLD.reviewed_ms / 900000, -1);
END;

-- The review log is only appended to and deleted from; should a row ever change, its quarter
-- moves with it.
CREATE TRIGGER study_after_review_update AFTER UPDATE OF pack_id, reviewed_ms ON review_log
BEGIN
    INSERT INTO study_quarters_change VALUES (OLD.pack_id, OLD.reviewed_ms / 900000, -1);
    INSERT INTO study_quarters_change VALUES (NEW.pack_id, NEW.reviewed_ms / 900000, 1);
END;

-- A quiz answer counts while it has a choice: made, changed (it may move quarter), cleared,
-- deleted. Answers are deleted while their attempt still names the pack (migration 9).
CREATE TRIGGER study_after_answer_insert AFTER INSERT ON quiz_answers
WHEN NEW.chosen != '[]'
BEGIN
    INSERT INTO study_quarters_change
    VALUES ((SELECT pack_id FROM quiz_attempts WHERE id = NEW.attempt_id),
            NEW.answered_at / 900000, 1);
END;

CREATE TRIGGER study_after_answer_update AFTER UPDATE OF chosen, answered_at ON quiz_answers
BEGIN
    INSERT INTO study_quarters_change
    SELECT (SELECT pack_id FROM quiz_attempts WHERE id = OLD.attempt_id),
           OLD.answered_at / 900000, -1
    WHERE OLD.chosen != '[]';
    INSERT INTO study_quarters_change
    SELECT (SELECT pack_id FROM quiz_attempts WHERE id = NEW.attempt_id),
           NEW.answered_at / 900000, 1
    WHERE NEW.chosen != '[]';
END;

CREATE TRIGGER study_after_answer_delete AFTER DELETE ON quiz_answers
WHEN OLD.chosen != '[]'
BEGIN
    INSERT INTO study_quarters_change
    VALUES ((SELECT pack_id FROM quiz_attempts WHERE id = OLD.attempt_id),
            OLD.answered_at / 900000, -1);
END;
