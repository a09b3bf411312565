-- Quiz attempts (practice sessions and mock exams), the questions each one showed, and every
-- answer as it was given.

CREATE TABLE quiz_attempts (
    id          INTEGER PRIMARY KEY,
    pack_id     TEXT NOT NULL,
    mode        TEXT NOT NULL CHECK (mode IN ('practice', 'exam')),
    seed        INTEGER NOT NULL,           -- the attempt's RNG seed: same seed, same questions
    config      TEXT NOT NULL,              -- JSON of the session's settings
    started_at  INTEGER NOT NULL,           -- UTC milliseconds
    elapsed_ms  INTEGER NOT NULL DEFAULT 0, -- exam clock used so far (runs only while open)
    position    INTEGER NOT NULL DEFAULT 0, -- the question on screen, to resume there
    finished_at INTEGER,                    -- UTC milliseconds; NULL while in progress
    correct     INTEGER,                    -- set when finished
    total       INTEGER NOT NULL
) STRICT;

CREATE INDEX quiz_attempts_by_pack ON quiz_attempts (pack_id, mode, finished_at);

CREATE TABLE quiz_items (
    attempt_id   INTEGER NOT NULL REFERENCES quiz_attempts (id) ON DELETE CASCADE,
    position     INTEGER NOT NULL,
    question_id  TEXT NOT NULL,
    topic_id     TEXT NOT NULL,
    generator    TEXT,              -- generated questions: the generator's id ...
    gen_seed     INTEGER,           -- ... and its seed, which rebuild the question exactly
    choice_order TEXT NOT NULL,     -- JSON array: the authored index of each choice as shown
    PRIMARY KEY (attempt_id, position)
) STRICT;

CREATE TABLE quiz_answers (
    attempt_id  INTEGER NOT NULL REFERENCES quiz_attempts (id) ON DELETE CASCADE,
    position    INTEGER NOT NULL,
    question_id TEXT NOT NULL,
    topic_id    TEXT NOT NULL,
    generator   TEXT,
    gen_seed    INTEGER,
    chosen      TEXT NOT NULL,      -- JSON array of authored choice indices; [] when unanswered
    correct     INTEGER NOT NULL,
    flagged     INTEGER NOT NULL,
    time_ms     INTEGER NOT NULL,
    answered_at INTEGER NOT NULL,   -- UTC milliseconds of the last change
    PRIMARY KEY (attempt_id, position)
) STRICT;

CREATE INDEX quiz_answers_by_question ON quiz_answers (question_id);
