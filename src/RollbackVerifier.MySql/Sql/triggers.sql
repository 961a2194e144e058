-- Triggers with their body as written and their order among the table's triggers of the same timing and event.
SELECT EVENT_OBJECT_TABLE, TRIGGER_NAME, ACTION_TIMING, EVENT_MANIPULATION, ACTION_ORDER, ACTION_STATEMENT
FROM information_schema.TRIGGERS
WHERE TRIGGER_SCHEMA = @db
ORDER BY EVENT_OBJECT_TABLE, TRIGGER_NAME
