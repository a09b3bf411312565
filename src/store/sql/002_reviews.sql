-- Spaced repetition: the current scheduling state of every answered card, and an append-only
-- log of answers (undo is the only thing that removes a row). Times are UTC milliseconds.
-- States: 0 new, 1 learning, 2 review, 3 relearning. Ratings: 1 again, 2 hard, 3 good, 4 easy.
CREATE TABLE srs_card (
    pack_id        TEXT    NOT NULL,
    card_id        TEXT    NOT NULL,
    state          INTEGER NOT NULL,
    step           INTEGER,
    stability      REAL,
    difficulty     REAL,
    due_ms         INTEGER NOT NULL,
    last_review_ms INTEGER,
    PRIMARY KEY (pack_id, card_id)
) STRICT;

CREATE TABLE review_log (
    id            INTEGER PRIMARY KEY,
    pack_id       TEXT    NOT NULL,
    card_id       TEXT    NOT NULL,
    reviewed_ms   INTEGER NOT NULL,
    rating        INTEGER NOT NULL,
    elapsed_days  INTEGER,          -- NULL for a card's first answer
    state_before  INTEGER NOT NULL,
    state_after   INTEGER NOT NULL,
    stability     REAL    NOT NULL, -- after the answer
    difficulty    REAL    NOT NULL, -- after the answer
    due_after_ms  INTEGER NOT NULL,
    duration_ms   INTEGER NOT NULL
) STRICT;

CREATE INDEX review_log_by_time ON review_log (pack_id, reviewed_ms);
CREATE INDEX review_log_by_card ON review_log (pack_id, card_id, reviewed_ms);
