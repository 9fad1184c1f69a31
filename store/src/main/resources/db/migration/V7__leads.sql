-- Contact details visitors left in the chat (LeadStore), for the admin API's lead list. A user's same address or
-- number is kept once. Times are microseconds since the epoch.
CREATE TABLE leads (
    user_id     TEXT    NOT NULL,
    thread_id   TEXT    NOT NULL,
    kind        TEXT    NOT NULL,
    contact     TEXT    NOT NULL,
    message     TEXT    NOT NULL,
    created_at  INTEGER NOT NULL,
    PRIMARY KEY (user_id, contact)
);
CREATE INDEX leads_by_time ON leads (created_at);
