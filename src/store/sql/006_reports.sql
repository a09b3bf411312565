-- Problems learners report on a card or question ("the answer is wrong", "outdated", …), kept
-- for the pack's author and exported with `coldstart export reports`. Times are UTC milliseconds.
CREATE TABLE problem_reports (
    id          INTEGER PRIMARY KEY,
    pack_id     TEXT NOT NULL,
    item_kind   TEXT NOT NULL CHECK (item_kind IN ('card', 'question')),
    item_id     TEXT NOT NULL,
    reason      TEXT NOT NULL CHECK (reason IN ('wrong', 'outdated', 'unclear', 'typo', 'other')),
    note        TEXT NOT NULL DEFAULT '',
    reported_at INTEGER NOT NULL
) STRICT;

CREATE INDEX problem_reports_by_pack ON problem_reports (pack_id, reported_at);
