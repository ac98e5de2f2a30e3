-- Instances keep the code-set rows the coding edits read (CodeSetCache). Code sets change only when an
-- import commits, and whoever writes them (the API's import jobs, `import-codes`, a first start, another
-- instance) announces it on chartroom_code_set_changes when it commits: each instance then drops what it
-- keeps. One notice per statement (and per transaction: PostgreSQL folds equal notices), not per row: a
-- bulk load writes millions.
CREATE FUNCTION announce_code_set_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('chartroom_code_set_changes', TG_TABLE_NAME);
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER code_set_releases_announce_change
  AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON code_set_releases
  FOR EACH STATEMENT EXECUTE FUNCTION announce_code_set_change();
--> statement-breakpoint
CREATE TRIGGER medical_codes_announce_change
  AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON medical_codes
  FOR EACH STATEMENT EXECUTE FUNCTION announce_code_set_change();
--> statement-breakpoint
CREATE TRIGGER diagnosis_edits_announce_change
  AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON diagnosis_edits
  FOR EACH STATEMENT EXECUTE FUNCTION announce_code_set_change();
--> statement-breakpoint
CREATE TRIGGER code_notes_announce_change
  AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON code_notes
  FOR EACH STATEMENT EXECUTE FUNCTION announce_code_set_change();
--> statement-breakpoint
CREATE TRIGGER modifiers_announce_change
  AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON modifiers
  FOR EACH STATEMENT EXECUTE FUNCTION announce_code_set_change();
--> statement-breakpoint
CREATE TRIGGER mue_limits_announce_change
  AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON mue_limits
  FOR EACH STATEMENT EXECUTE FUNCTION announce_code_set_change();
--> statement-breakpoint
CREATE TRIGGER ncci_add_on_codes_announce_change
  AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON ncci_add_on_codes
  FOR EACH STATEMENT EXECUTE FUNCTION announce_code_set_change();
--> statement-breakpoint
CREATE TRIGGER ncci_ptp_edits_announce_change
  AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON ncci_ptp_edits
  FOR EACH STATEMENT EXECUTE FUNCTION announce_code_set_change();
--> statement-breakpoint
CREATE TRIGGER ncci_rationales_announce_change
  AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON ncci_rationales
  FOR EACH STATEMENT EXECUTE FUNCTION announce_code_set_change();
