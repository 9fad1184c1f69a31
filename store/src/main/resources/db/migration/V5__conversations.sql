-- The admin's view of the conversations (ConversationStore): threads of every user newest first, those with
-- negative feedback, and the runs of one thread for linking its assistant messages to their traces.
CREATE INDEX threads_by_time ON threads (created_at, seq);
CREATE INDEX feedback_by_kind ON feedback (kind, thread_id);
CREATE INDEX traces_by_thread ON traces (thread_id, started_at);
