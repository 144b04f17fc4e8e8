-- Issue 15: quarterly data-due reminders for a catalogue with quarterly measures (the pediatric
-- template). Collaboratives planned before this migration keep no quarterly reminders until
-- replanned (none had quarterly reminders before).
ALTER TABLE worker_collaboratives ADD COLUMN quarterly_data boolean NOT NULL DEFAULT false;
ALTER TABLE worker_agencies ADD COLUMN quarters text[] NOT NULL DEFAULT '{}';
