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
    INSERT INTO study_quarters (pack_id, quarter, answers)
    VALUES (NEW.pack_id, NEW.reviewed_ms / 900000, 1)
    ON CONFLICT (pack_id, quarter) DO UPDATE SET answers = answers + 1;
END;

-- An answer undone.
CREATE TRIGGER study_after_review_delete AFTER DELETE ON review_log
BEGIN
    UPDATE study_quarters SET answers = answers - 1
    WHERE pack_id = OLD.pack_id AND quarter = OLD.reviewed_ms / 900000;
    DELETE FROM study_quarters
    WHERE pack_id = OLD.pack_id AND quarter = OLD.reviewed_ms / 900000 AND answers <= 0;
END;

-- The review log is only appended to and deleted from; should a row ever change, its quarter
-- moves with it.
CREATE TRIGGER study_after_review_update AFTER UPDATE OF pack_id, reviewed_ms ON review_log
BEGIN
    UPDATE study_quarters SET answers = answers - 1
    WHERE pack_id = OLD.pack_id AND quarter = OLD.reviewed_ms / 900000;
    DELETE FROM study_quarters
    WHERE pack_id = OLD.pack_id AND quarter = OLD.reviewed_ms / 900000 AND answers <= 0;
    INSERT INTO study_quarters (pack_id, quarter, answers)
    VALUES (NEW.pack_id, NEW.reviewed_ms / 900000, 1)
    ON CONFLICT (pack_id, quarter) DO UPDATE SET answers = answers + 1;
END;

CREATE TRIGGER study_after_answer_insert AFTER INSERT ON quiz_answers
WHEN NEW.chosen != '[]'
BEGIN
    INSERT INTO study_quarters (pack_id, quarter, answers)
    SELECT pack_id, NEW.answered_at / 900000, 1 FROM quiz_attempts WHERE id = NEW.attempt_id
    ON CONFLICT (pack_id, quarter) DO UPDATE SET answers = answers + 1;
END;

-- A choice changed, cleared or made: the old answer leaves its quarter, the new one joins its.
CREATE TRIGGER study_after_answer_update AFTER UPDATE OF chosen, answered_at ON quiz_answers
BEGIN
    UPDATE study_quarters SET answers = answers - 1
    WHERE OLD.chosen != '[]' AND quarter = OLD.answered_at / 900000
      AND pack_id = (SELECT pack_id FROM quiz_attempts WHERE id = OLD.attempt_id);
    DELETE FROM study_quarters
    WHERE quarter = OLD.answered_at / 900000 AND answers <= 0
      AND pack_id = (SELECT pack_id FROM quiz_attempts WHERE id = OLD.attempt_id);
    INSERT INTO study_quarters (pack_id, quarter, answers)
    SELECT pack_id, NEW.answered_at / 900000, 1 FROM quiz_attempts
    WHERE id = NEW.attempt_id AND NEW.chosen != '[]'
    ON CONFLICT (pack_id, quarter) DO UPDATE SET answers = answers + 1;
END;

-- Answers are deleted before their attempt (`Store::delete_quiz_attempt`, and the trigger
-- `quiz_records_before_attempt_delete` of migration 9), so the attempt still names the pack.
CREATE TRIGGER study_after_answer_delete AFTER DELETE ON quiz_answers
WHEN OLD.chosen != '[]'
BEGIN
    UPDATE study_quarters SET answers = answers - 1
    WHERE quarter = OLD.answered_at / 900000
      AND pack_id = (SELECT pack_id FROM quiz_attempts WHERE id = OLD.attempt_id);
    DELETE FROM study_quarters
    WHERE quarter = OLD.answered_at / 900000 AND answers <= 0
      AND pack_id = (SELECT pack_id FROM quiz_attempts WHERE id = OLD.attempt_id);
END;
