-- An administrator's facilities are every facility of the organization: a facility added or removed
-- changes what every cached administrator may see, so it announces '*' and each instance forgets
-- every cached sign-in (see 0022 and ActorCache).
CREATE FUNCTION announce_facility_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('chartroom_user_changes', '*');
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER facilities_announce_change
  AFTER INSERT OR DELETE ON facilities
  FOR EACH STATEMENT EXECUTE FUNCTION announce_facility_change();
--> statement-breakpoint
-- Claims' milestones upserted in key order, so that two bulk statements over the same claims (two
-- postings, an acknowledgement beside a posting) take the rows' locks in the same order and never deadlock.
CREATE OR REPLACE FUNCTION claim_milestones_record() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO claim_milestones (org_id, claim_id, facility_id, ready_at, review_at, outcome_at, accepted_at)
  SELECT c.org_id, c.id, c.facility_id,
    min(added.at) FILTER (WHERE added.to_status = 'READY'),
    min(added.at) FILTER (WHERE added.to_status = 'NEEDS_REVIEW'),
    min(added.at) FILTER (WHERE added.to_status IN ('ACCEPTED', 'REJECTED')),
    min(added.at) FILTER (WHERE added.to_status = 'ACCEPTED')
  FROM added
  JOIN claims c ON c.org_id = added.org_id AND c.id = added.claim_id
  WHERE added.to_status IN ('READY', 'NEEDS_REVIEW', 'ACCEPTED', 'REJECTED')
  GROUP BY c.org_id, c.id, c.facility_id
  ORDER BY c.org_id, c.id
  ON CONFLICT (org_id, claim_id) DO UPDATE SET
    ready_at = least(claim_milestones.ready_at, excluded.ready_at),
    review_at = least(claim_milestones.review_at, excluded.review_at),
    outcome_at = least(claim_milestones.outcome_at, excluded.outcome_at),
    accepted_at = least(claim_milestones.accepted_at, excluded.accepted_at);
  RETURN NULL;
END;
$$;
