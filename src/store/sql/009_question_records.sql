-- Each authored question's record in a pack — its latest counted answer, whether its first
-- answer was right, how many answers it had and how many were right — kept up to date by
-- triggers, so that what the dashboard shows at every start (the per-topic standing, the
-- readiness estimate) reads one row per question instead of every answer ever given.
--
-- Counted answers: to authored questions (a generated question is new every time), in
-- practice sessions, and in mock exams once submitted. "Latest" and "first" order by
-- (answered_at, attempt_id, position). The latest may have been left blank (its topic is the
-- record's); the first and the counts are of answers with a choice.

CREATE VIEW quiz_counted AS
SELECT a.pack_id, w.question_id, w.topic_id, w.correct, w.flagged,
       w.chosen != '[]' AS answered, w.answered_at, w.attempt_id, w.position,
       w.rowid AS answer
FROM quiz_answers w JOIN quiz_attempts a ON a.id = w.attempt_id
WHERE w.generator IS NULL AND (a.mode = 'practice' OR a.finished_at IS NOT NULL);

CREATE TABLE quiz_records (
    pack_id       TEXT NOT NULL,
    question_id   TEXT NOT NULL,
    topic_id      TEXT NOT NULL,    -- stored with its latest answer
    correct       INTEGER NOT NULL, -- the latest answer: right,
    flagged       INTEGER NOT NULL, -- flagged,
    answered      INTEGER NOT NULL, -- given (0: left blank)
    first_correct INTEGER,          -- the first answer with a choice was right; NULL: none yet
    answers       INTEGER NOT NULL, -- answers with a choice
    right_answers INTEGER NOT NULL, -- of which right
    PRIMARY KEY (pack_id, question_id)
) STRICT, WITHOUT ROWID;

-- A (pack, question) inserted here has its record written again from its answers (read
-- through `quiz_answers_by_question`; no record when no counted answer is left), and leaves at
-- once: the triggers below only say which questions a change touched.
CREATE TABLE quiz_records_stale (
    pack_id     TEXT NOT NULL,
    question_id TEXT NOT NULL
) STRICT;

CREATE TRIGGER quiz_records_rewrite AFTER INSERT ON quiz_records_stale
BEGIN
    DELETE FROM quiz_records WHERE pack_id = NEW.pack_id AND question_id = NEW.question_id;
    INSERT INTO quiz_records
    SELECT w.pack_id, w.question_id, w.topic_id, w.correct, w.flagged, w.answered,
           (SELECT c.correct FROM quiz_counted c
            WHERE c.pack_id = NEW.pack_id AND c.question_id = NEW.question_id AND c.answered
            ORDER BY c.answered_at, c.attempt_id, c.position LIMIT 1),
           (SELECT COUNT(*) FROM quiz_counted c
            WHERE c.pack_id = NEW.pack_id AND c.question_id = NEW.question_id AND c.answered),
           (SELECT COALESCE(SUM(c.correct), 0) FROM quiz_counted c
            WHERE c.pack_id = NEW.pack_id AND c.question_id = NEW.question_id AND c.answered)
    FROM (SELECT * FROM quiz_counted c
          WHERE c.pack_id = NEW.pack_id AND c.question_id = NEW.question_id
          ORDER BY c.answered_at DESC, c.attempt_id DESC, c.position DESC LIMIT 1) w;
    DELETE FROM quiz_records_stale WHERE rowid = NEW.rowid;
END;

-- Every question answered so far.
INSERT INTO quiz_records_stale SELECT DISTINCT pack_id, question_id FROM quiz_counted;

CREATE TRIGGER quiz_records_after_insert AFTER INSERT ON quiz_answers
WHEN NEW.generator IS NULL
BEGIN
    INSERT INTO quiz_records_stale
    SELECT pack_id, NEW.question_id FROM quiz_attempts WHERE id = NEW.attempt_id;
END;

-- An answer changed (the save is an upsert: a new choice, a flag); its question does not.
CREATE TRIGGER quiz_records_after_update AFTER UPDATE ON quiz_answers
WHEN NEW.generator IS NULL
BEGIN
    INSERT INTO quiz_records_stale
    SELECT pack_id, NEW.question_id FROM quiz_attempts WHERE id = NEW.attempt_id;
END;

-- Answers are deleted while their attempt still names the pack: by `Store::delete_quiz_attempt`
-- before the attempt, or by the trigger below when the attempt goes first.
CREATE TRIGGER quiz_records_after_delete AFTER DELETE ON quiz_answers
WHEN OLD.generator IS NULL
BEGIN
    INSERT INTO quiz_records_stale
    SELECT pack_id, OLD.question_id FROM quiz_attempts WHERE id = OLD.attempt_id;
END;

-- An attempt deleted with its answers left to ON DELETE CASCADE (deleting a pack's progress):
-- the answers go first, here, while the attempt still says which pack they were in.
CREATE TRIGGER quiz_records_before_attempt_delete BEFORE DELETE ON quiz_attempts
BEGIN
    DELETE FROM quiz_answers WHERE attempt_id = OLD.id;
END;

-- A mock exam submitted (or reopened): its answers start (or stop) counting.
CREATE TRIGGER quiz_records_after_finish AFTER UPDATE OF finished_at ON quiz_attempts
WHEN NEW.finished_at IS NOT OLD.finished_at
BEGIN
    INSERT INTO quiz_records_stale
    SELECT DISTINCT NEW.pack_id, question_id FROM quiz_answers
    WHERE attempt_id = NEW.id AND generator IS NULL;
END;
