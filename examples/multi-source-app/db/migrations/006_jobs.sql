-- A generic background-job queue shared by the Python workers.
CREATE TABLE "jobs" (
    "id"          BIGSERIAL PRIMARY KEY,
    "queue"       VARCHAR(50) NOT NULL DEFAULT 'default',
    "kind"        VARCHAR(100) NOT NULL,
    "payload"     JSONB NOT NULL DEFAULT '{}'::jsonb,
    "attempts"    SMALLINT NOT NULL DEFAULT 0,
    "run_at"      TIMESTAMPTZ NOT NULL DEFAULT now(),
    "locked_by"   VARCHAR(100),
    "created_at"  TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE INDEX "jobs_queue_run_at_idx" ON "jobs" ("queue", "run_at") WHERE locked_by IS NULL;
