-- Contact details visitors left in the chat, as db/migration/V7__leads.sql.
CREATE TABLE leads (
    user_id     TEXT   NOT NULL,
    thread_id   TEXT   NOT NULL,
    kind        TEXT   NOT NULL,
    contact     TEXT   NOT NULL,
    message     TEXT   NOT NULL,
    created_at  BIGINT NOT NULL,
    PRIMARY KEY (user_id, contact)
);
CREATE INDEX leads_by_time ON leads (created_at);
