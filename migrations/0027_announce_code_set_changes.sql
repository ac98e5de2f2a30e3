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
DO $$
DECLARE
  code_set_table text;
BEGIN
  FOREACH code_set_table IN ARRAY ARRAY['code_set_releases', 'medical_codes', 'diagnosis_edits', 'code_notes',
    'modifiers', 'mue_limits', 'ncci_add_on_codes', 'ncci_ptp_edits', 'ncci_rationales']
  LOOP
    EXECUTE format(
      'CREATE TRIGGER %I AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON %I
         FOR EACH STATEMENT EXECUTE FUNCTION announce_code_set_change()',
      code_set_table || '_announce_change', code_set_table);
  END LOOP;
END;
$$;
