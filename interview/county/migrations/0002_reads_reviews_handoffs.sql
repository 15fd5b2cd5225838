-- 0002: what the county reads, and what goes back to the laptops (interview/county/read.py,
-- reviews.py, handoffs.py). Row level security, FORCEd, as in 0001.
--
-- county_reads  who read which interview, when, and how (never content): every `county
--               sessions`, `show`, `aggregate` and `review`, and what a sync received.
--               Append-only: anyone adds rows as themselves; nobody changes or removes one.
-- reviews       a supervisor's review of one interview, sealed on the supervisor's machine
--               under the interview's data key (the worker opens it; the server cannot).
-- handoffs      a hotline screen handed to the worker assigned to the referral, sealed to
--               that worker's public key (workers.public_key): only they can open it.

CREATE TABLE county_reads (
  id bigserial PRIMARY KEY,
  who name NOT NULL DEFAULT session_user,
  at timestamptz NOT NULL DEFAULT now(),
  action text NOT NULL CHECK (action IN ('listed', 'read', 'aggregated', 'reviewed',
                                         'review_received', 'handoff_sent',
                                         'handoff_received')),
  session_id text CHECK (session_id IS NULL OR session_id ~ '^[0-9a-f]{1,64}$'),
  count integer CHECK (count IS NULL OR count >= 0)
);
CREATE INDEX county_reads_session ON county_reads (session_id);

CREATE TABLE reviews (
  id text PRIMARY KEY CHECK (id ~ '^[0-9a-f]{32}$'),
  session_id text NOT NULL REFERENCES interviews (session_id),
  reviewer name NOT NULL DEFAULT session_user,
  team text NOT NULL DEFAULT csec_my_team(),
  sealed bytea NOT NULL CHECK (length(sealed) <= 1048576),
  created timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX reviews_session ON reviews (session_id);

CREATE TABLE handoffs (
  id text PRIMARY KEY CHECK (id ~ '^[0-9a-f]{32}$'),
  sender name NOT NULL DEFAULT session_user,
  recipient name NOT NULL REFERENCES workers (role),
  ephemeral bytea NOT NULL CHECK (length(ephemeral) = 32),
  sealed bytea NOT NULL CHECK (length(sealed) <= 1048576),
  created timestamptz NOT NULL DEFAULT now(),
  received timestamptz
);
CREATE INDEX handoffs_recipient ON handoffs (recipient) WHERE received IS NULL;

-- A recipient's public key, for the sender of a handoff (who may not read `workers`): the key
-- of an enabled county user, nothing else about them.
CREATE FUNCTION csec_public_key(person name) RETURNS bytea LANGUAGE sql STABLE SECURITY DEFINER
  SET search_path = pg_catalog, pg_temp
  AS $$ SELECT public_key FROM public.workers WHERE role = person AND disabled IS NULL $$;
CREATE FUNCTION csec_is_user(person name) RETURNS boolean LANGUAGE sql STABLE SECURITY DEFINER
  SET search_path = pg_catalog, pg_temp
  AS $$ SELECT EXISTS (SELECT FROM public.workers WHERE role = person AND disabled IS NULL) $$;
REVOKE ALL ON FUNCTION csec_public_key(name), csec_is_user(name) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION csec_public_key(name), csec_is_user(name)
  TO csec_worker, csec_supervisor, csec_coordinator;

ALTER TABLE county_reads ENABLE ROW LEVEL SECURITY;
ALTER TABLE county_reads FORCE ROW LEVEL SECURITY;
ALTER TABLE reviews ENABLE ROW LEVEL SECURITY;
ALTER TABLE reviews FORCE ROW LEVEL SECURITY;
ALTER TABLE handoffs ENABLE ROW LEVEL SECURITY;
ALTER TABLE handoffs FORCE ROW LEVEL SECURITY;

REVOKE ALL ON county_reads, reviews, handoffs FROM PUBLIC;
GRANT SELECT, INSERT ON county_reads TO csec_worker, csec_supervisor, csec_coordinator;
GRANT USAGE ON SEQUENCE county_reads_id_seq TO csec_worker, csec_supervisor, csec_coordinator;
GRANT SELECT, INSERT ON reviews TO csec_supervisor;
GRANT SELECT ON reviews TO csec_worker;
GRANT INSERT ON handoffs TO csec_worker, csec_supervisor;
GRANT SELECT, UPDATE (received) ON handoffs TO csec_worker, csec_supervisor;

-- The read audit: rows as yourself only; you see your own (the administrator sees all).
CREATE POLICY add ON county_reads FOR INSERT WITH CHECK (who = session_user);
CREATE POLICY own ON county_reads FOR SELECT USING (who = session_user);

-- Reviews: a supervisor of the interview's team writes them, as themselves; the team's
-- supervisors and the interview's owner read them.
CREATE POLICY add ON reviews FOR INSERT TO csec_supervisor
  WITH CHECK (reviewer = session_user AND (SELECT csec_my_kind()) = 'supervisor'
              AND team = (SELECT csec_my_team()) AND EXISTS (
                SELECT FROM interviews i WHERE i.session_id = reviews.session_id
                                           AND i.team = (SELECT csec_my_team())));
CREATE POLICY team ON reviews FOR SELECT TO csec_supervisor
  USING ((SELECT csec_my_kind()) = 'supervisor' AND EXISTS (
    SELECT FROM interviews i WHERE i.session_id = reviews.session_id
                               AND i.team = (SELECT csec_my_team())));
CREATE POLICY owner ON reviews FOR SELECT
  USING (EXISTS (SELECT FROM interviews i WHERE i.session_id = reviews.session_id
                                            AND i.owner = current_user));

-- Handoffs: sent as yourself to an enabled county user; only the recipient reads one, and
-- marks it received.
CREATE POLICY add ON handoffs FOR INSERT
  WITH CHECK (sender = session_user AND recipient <> session_user
              AND csec_is_user(recipient) AND received IS NULL);
CREATE POLICY recipient ON handoffs FOR SELECT USING (recipient = session_user);
CREATE POLICY received ON handoffs FOR UPDATE USING (recipient = session_user)
  WITH CHECK (recipient = session_user);
