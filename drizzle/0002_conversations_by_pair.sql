DROP INDEX `conversations_from`;--> statement-breakpoint
CREATE INDEX `conversations_pair` ON `conversations` (`from_id`,`to_id`);