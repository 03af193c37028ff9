-- Search (pg_trgm) and the owner inside GIN indexes (btree_gin); both are trusted extensions, which a
-- database owner may create, and PGlite ships them.
CREATE EXTENSION IF NOT EXISTS pg_trgm;--> statement-breakpoint
CREATE EXTENSION IF NOT EXISTS btree_gin;--> statement-breakpoint
-- The tags rule of the tasks table's CHECK (schema.ts): at most 10, each 1 to 30 characters, no commas.
CREATE FUNCTION tasks_tags_are_valid(tags text[]) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$
  SELECT cardinality(tags) <= 10
    AND NOT EXISTS (SELECT 1 FROM unnest(tags) AS tag WHERE tag IS NULL OR char_length(tag) NOT BETWEEN 1 AND 30 OR strpos(tag, ',') > 0)
$$;--> statement-breakpoint
ALTER TABLE "tasks" ADD COLUMN "priority" text DEFAULT 'medium' NOT NULL;--> statement-breakpoint
ALTER TABLE "tasks" ADD COLUMN "tags" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "tasks" ADD COLUMN "due_at" timestamp (3) with time zone;--> statement-breakpoint
ALTER TABLE "tasks" ADD COLUMN "recurrence" text;--> statement-breakpoint
ALTER TABLE "tasks" ADD COLUMN "completed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "tasks" ADD COLUMN "next_occurrence_created" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "tasks" ADD COLUMN "search_title" text;--> statement-breakpoint
ALTER TABLE "tasks" ADD COLUMN "search_description" text;--> statement-breakpoint
-- Existing rows: the database's lower() stands in for the API's folding (tasks/search-text.ts), which
-- differs only in the rare letters that lower-casing alone leaves apart (ß and "ss"); saving a task
-- again refolds it. Completed tasks get their last change as the time they were completed.
UPDATE "tasks" SET "search_title" = lower("title"), "search_description" = lower("description");--> statement-breakpoint
UPDATE "tasks" SET "completed_at" = "updated_at" WHERE "completed";--> statement-breakpoint
ALTER TABLE "tasks" ALTER COLUMN "search_title" SET NOT NULL;--> statement-breakpoint
CREATE INDEX "tasks_user_due_idx" ON "tasks" USING btree ("user_id",coalesce("due_at", 'infinity'::timestamptz),"id");--> statement-breakpoint
CREATE INDEX "tasks_user_priority_idx" ON "tasks" USING btree ("user_id",(case "priority" when 'high' then 0 when 'medium' then 1 else 2 end),"id");--> statement-breakpoint
CREATE INDEX "tasks_user_title_idx" ON "tasks" USING btree ("user_id","title","id");--> statement-breakpoint
CREATE INDEX "tasks_user_counts_idx" ON "tasks" USING btree ("user_id","completed","due_at");--> statement-breakpoint
CREATE INDEX "tasks_user_tags_idx" ON "tasks" USING gin ("user_id","tags");--> statement-breakpoint
CREATE INDEX "tasks_search_idx" ON "tasks" USING gin ("user_id","search_title" gin_trgm_ops,"search_description" gin_trgm_ops);--> statement-breakpoint
ALTER TABLE "tasks" ADD CONSTRAINT "tasks_priority_value" CHECK ("tasks"."priority" in ('low', 'medium', 'high'));--> statement-breakpoint
ALTER TABLE "tasks" ADD CONSTRAINT "tasks_tags_shape" CHECK (tasks_tags_are_valid("tasks"."tags"));--> statement-breakpoint
ALTER TABLE "tasks" ADD CONSTRAINT "tasks_recurrence_value" CHECK ("tasks"."recurrence" is null or "tasks"."recurrence" in ('daily', 'weekly', 'monthly'));--> statement-breakpoint
ALTER TABLE "tasks" ADD CONSTRAINT "tasks_recurrence_needs_due" CHECK ("tasks"."recurrence" is null or "tasks"."due_at" is not null);--> statement-breakpoint
ALTER TABLE "tasks" ADD CONSTRAINT "tasks_completed_at" CHECK ("tasks"."completed" = ("tasks"."completed_at" is not null));