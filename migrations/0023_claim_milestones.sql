CREATE TABLE "claim_milestones" (
	"org_id" uuid NOT NULL,
	"claim_id" uuid NOT NULL,
	"facility_id" uuid NOT NULL,
	"ready_at" timestamp with time zone,
	"review_at" timestamp with time zone,
	"outcome_at" timestamp with time zone,
	"accepted_at" timestamp with time zone,
	CONSTRAINT "claim_milestones_org_id_claim_id_pk" PRIMARY KEY("org_id","claim_id")
);
--> statement-breakpoint
ALTER TABLE "claim_milestones" ADD CONSTRAINT "claim_milestones_org_id_claim_id_claims_org_id_id_fk" FOREIGN KEY ("org_id","claim_id") REFERENCES "public"."claims"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "claim_milestones" ADD CONSTRAINT "claim_milestones_org_id_facility_id_facilities_org_id_id_fk" FOREIGN KEY ("org_id","facility_id") REFERENCES "public"."facilities"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
-- A claim's firsts, from history rows: `least` keeps the earlier of what is stored and what comes (it skips nulls).
CREATE FUNCTION claim_milestones_record() RETURNS trigger
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
  ON CONFLICT (org_id, claim_id) DO UPDATE SET
    ready_at = least(claim_milestones.ready_at, excluded.ready_at),
    review_at = least(claim_milestones.review_at, excluded.review_at),
    outcome_at = least(claim_milestones.outcome_at, excluded.outcome_at),
    accepted_at = least(claim_milestones.accepted_at, excluded.accepted_at);
  RETURN NULL;
END;
$$;
--> statement-breakpoint
-- Once per statement, over the rows it added: a posting's or an acknowledgement's thousands of changes are one upsert.
CREATE TRIGGER claim_status_changes_milestones
  AFTER INSERT ON claim_status_changes
  REFERENCING NEW TABLE AS added
  FOR EACH STATEMENT EXECUTE FUNCTION claim_milestones_record();
--> statement-breakpoint
INSERT INTO claim_milestones (org_id, claim_id, facility_id, ready_at, review_at, outcome_at, accepted_at)
SELECT c.org_id, c.id, c.facility_id,
  min(s.at) FILTER (WHERE s.to_status = 'READY'),
  min(s.at) FILTER (WHERE s.to_status = 'NEEDS_REVIEW'),
  min(s.at) FILTER (WHERE s.to_status IN ('ACCEPTED', 'REJECTED')),
  min(s.at) FILTER (WHERE s.to_status = 'ACCEPTED')
FROM claim_status_changes s
JOIN claims c ON c.org_id = s.org_id AND c.id = s.claim_id
WHERE s.to_status IN ('READY', 'NEEDS_REVIEW', 'ACCEPTED', 'REJECTED')
GROUP BY c.org_id, c.id, c.facility_id;
