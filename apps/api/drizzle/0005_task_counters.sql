CREATE TABLE "task_counts" (
	"user_id" text PRIMARY KEY NOT NULL,
	"total" integer NOT NULL,
	"completed" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "task_tag_counts" (
	"user_id" text NOT NULL,
	"tag" text NOT NULL,
	"count" integer NOT NULL,
	CONSTRAINT "task_tag_counts_user_id_tag_pk" PRIMARY KEY("user_id","tag")
);
--> statement-breakpoint
ALTER TABLE "task_counts" ADD CONSTRAINT "task_counts_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "task_tag_counts" ADD CONSTRAINT "task_tag_counts_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "task_tag_counts_order_idx" ON "task_tag_counts" USING btree ("user_id","count" DESC NULLS LAST,"tag");--> statement-breakpoint
-- Keeps task_counts and task_tag_counts in step with tasks, once per statement whatever its size (a
-- bulk delete of 30,000 completed tasks is one pass over them). New rows are added first and old ones
-- taken away after, so an update that keeps a tag never drops its row; rows are touched in key order,
-- so two statements on one owner's counters wait for each other instead of deadlocking.
CREATE FUNCTION task_counters_apply() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    INSERT INTO task_counts AS counts (user_id, total, completed)
      SELECT user_id, count(*), count(*) FILTER (WHERE completed) FROM new_rows GROUP BY user_id ORDER BY user_id
      ON CONFLICT (user_id) DO UPDATE
        SET total = counts.total + excluded.total, completed = counts.completed + excluded.completed;
    INSERT INTO task_tag_counts AS counts (user_id, tag, count)
      SELECT user_id, tag, count(*) FROM new_rows, unnest(tags) AS tag GROUP BY user_id, tag ORDER BY user_id, tag
      ON CONFLICT (user_id, tag) DO UPDATE SET count = counts.count + excluded.count;
  END IF;
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    UPDATE task_counts AS counts SET total = counts.total - gone.total, completed = counts.completed - gone.completed
      FROM (SELECT user_id, count(*) AS total, count(*) FILTER (WHERE completed) AS completed
            FROM old_rows GROUP BY user_id) AS gone
      WHERE counts.user_id = gone.user_id;
    UPDATE task_tag_counts AS counts SET count = counts.count - gone.count
      FROM (SELECT user_id, tag, count(*) AS count FROM old_rows, unnest(tags) AS tag GROUP BY user_id, tag) AS gone
      WHERE counts.user_id = gone.user_id AND counts.tag = gone.tag;
    DELETE FROM task_tag_counts WHERE count = 0 AND user_id IN (SELECT DISTINCT user_id FROM old_rows);
  END IF;
  RETURN NULL;
END
$$;--> statement-breakpoint
CREATE TRIGGER tasks_counters_insert AFTER INSERT ON tasks REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION task_counters_apply();--> statement-breakpoint
CREATE TRIGGER tasks_counters_update AFTER UPDATE ON tasks REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION task_counters_apply();--> statement-breakpoint
CREATE TRIGGER tasks_counters_delete AFTER DELETE ON tasks REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION task_counters_apply();--> statement-breakpoint
-- The tasks already there.
INSERT INTO task_counts (user_id, total, completed)
  SELECT user_id, count(*), count(*) FILTER (WHERE completed) FROM tasks GROUP BY user_id;--> statement-breakpoint
INSERT INTO task_tag_counts (user_id, tag, count)
  SELECT user_id, tag, count(*) FROM tasks, unnest(tags) AS tag GROUP BY user_id, tag;
