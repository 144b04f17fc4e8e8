-- Meetings invite people and audiences too (issue 16): whether a meeting has invitees beyond its
-- invited agencies, so its reminders and minutes plan a "people" row that fans out per person when
-- due (services/worker/src/kinds/meeting-people.ts). Meetings stored before had agencies only.
ALTER TABLE worker_meetings ADD COLUMN IF NOT EXISTS others boolean NOT NULL DEFAULT false;
