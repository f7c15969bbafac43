DROP INDEX `messages_sender`;--> statement-breakpoint
DROP INDEX `messages_recipient`;--> statement-breakpoint
CREATE INDEX `messages_sender_time` ON `messages` (`sender_id`,`created_at`,`conversation_id`,`seq`);--> statement-breakpoint
CREATE INDEX `messages_recipient_time` ON `messages` (`recipient_id`,`created_at`,`conversation_id`,`seq`);