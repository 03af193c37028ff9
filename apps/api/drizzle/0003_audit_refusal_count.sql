ALTER TABLE "auth_events" ADD COLUMN "refusal_key" text;--> statement-breakpoint
ALTER TABLE "auth_events" ADD COLUMN "count" integer;--> statement-breakpoint
CREATE INDEX "auth_events_created_idx" ON "auth_events" USING btree ("created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "auth_events_refusal_key_unique" ON "auth_events" USING btree ("refusal_key") WHERE "auth_events"."refusal_key" is not null;