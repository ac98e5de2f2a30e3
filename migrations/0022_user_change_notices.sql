-- Instances keep a caller's authenticated user for up to a second (ActorCache). Every change to a
-- user row or to a user's facility grants announces the user's id on chartroom_user_changes when it
-- commits, whoever writes it (the API, a console, another instance), and each instance forgets that
-- user's cached answers: a deactivated user's next request is refused everywhere. The trigger's
-- argument names the column holding the user's id.
CREATE FUNCTION announce_user_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    PERFORM pg_notify('chartroom_user_changes', to_jsonb(OLD) ->> TG_ARGV[0]);
  ELSE
    PERFORM pg_notify('chartroom_user_changes', to_jsonb(NEW) ->> TG_ARGV[0]);
  END IF;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER users_announce_change
  AFTER UPDATE OR DELETE ON users
  FOR EACH ROW EXECUTE FUNCTION announce_user_change('id');
--> statement-breakpoint
CREATE TRIGGER user_facility_access_announce_change
  AFTER INSERT OR UPDATE OR DELETE ON user_facility_access
  FOR EACH ROW EXECUTE FUNCTION announce_user_change('user_id');
