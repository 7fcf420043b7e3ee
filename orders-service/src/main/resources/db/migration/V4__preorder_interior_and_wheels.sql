-- The options a customer may choose since contract v0.2.0 (PreorderPlaced.interior, .wheels): null when not chosen,
-- and for every preorder placed before.
alter table preorder add column interior text, add column wheels text;
