-- Issue 15: a collaborative's catalogue decides whether monthly data is due at all (a pediatric
-- catalogue reports quarterly). Existing collaboratives are NIATx ones: monthly.
ALTER TABLE worker_collaboratives ADD COLUMN monthly_data boolean NOT NULL DEFAULT true;
