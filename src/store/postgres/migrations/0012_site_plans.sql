-- Site plans. Estates (plan_width, plan_height), buildings and devices (plan_x, plan_y) have had
-- their plan columns since 0001; the store keeps the points inside their estate's plan. What the
-- plan adds is a question by device: a marker clicked on the plan lists the alerts its device
-- raised, which without this index reads every alert's events.
CREATE INDEX alert_events_device ON alert_events(device_id, alert_id);
