-- 0001: the county store. Workers, county keys, wraps, interviews, events, summaries; the
-- three group roles; row level security (FORCEd) on every table. See interview/county/__init__.py.

DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'csec_worker') THEN
    CREATE ROLE csec_worker NOLOGIN;
  END IF;
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'csec_supervisor') THEN
    CREATE ROLE csec_supervisor NOLOGIN;
  END IF;
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'csec_coordinator') THEN
    CREATE ROLE csec_coordinator NOLOGIN;
  END IF;
END $$;

REVOKE ALL ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO csec_worker, csec_supervisor, csec_coordinator;

CREATE TABLE county_keys (
  id text PRIMARY KEY CHECK (id ~ '^[0-9a-f]{16}$'),
  public_key bytea NOT NULL UNIQUE CHECK (length(public_key) = 32),
  fingerprint text NOT NULL UNIQUE CHECK (fingerprint ~ '^[0-9a-f]{64}$'),
  created timestamptz NOT NULL DEFAULT now(),
  retired timestamptz
);

CREATE TABLE workers (
  role name PRIMARY KEY,
  team text NOT NULL CHECK (team <> ''),
  kind text NOT NULL CHECK (kind IN ('worker', 'supervisor', 'coordinator')),
  public_key bytea CHECK (public_key IS NULL OR length(public_key) = 32),
  created timestamptz NOT NULL DEFAULT now(),
  disabled timestamptz
);

-- Who the connected person is, read with the definer's rights (the policies on `workers`
-- could not read `workers` themselves). session_user: the login role, even after SET ROLE.
CREATE FUNCTION csec_my_team() RETURNS text LANGUAGE sql STABLE SECURITY DEFINER
  SET search_path = pg_catalog, pg_temp
  AS $$ SELECT team FROM public.workers WHERE role = session_user AND disabled IS NULL $$;
CREATE FUNCTION csec_my_kind() RETURNS text LANGUAGE sql STABLE SECURITY DEFINER
  SET search_path = pg_catalog, pg_temp
  AS $$ SELECT kind FROM public.workers WHERE role = session_user AND disabled IS NULL $$;
REVOKE ALL ON FUNCTION csec_my_team(), csec_my_kind() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION csec_my_team(), csec_my_kind()
  TO csec_worker, csec_supervisor, csec_coordinator;

CREATE TABLE wraps (
  id text PRIMARY KEY CHECK (id ~ '^[0-9a-f]{32}$'),
  owner name NOT NULL DEFAULT current_user,
  team text NOT NULL DEFAULT csec_my_team(),
  county_key text NOT NULL REFERENCES county_keys (id),
  ephemeral bytea NOT NULL CHECK (length(ephemeral) = 32),
  created timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE interviews (
  session_id text PRIMARY KEY CHECK (session_id ~ '^[0-9a-f]{1,64}$'),
  owner name NOT NULL DEFAULT current_user,
  team text NOT NULL DEFAULT csec_my_team(),
  meta bytea,
  wrap text NOT NULL REFERENCES wraps (id),
  wrapped_key bytea NOT NULL,
  created timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX interviews_owner ON interviews (owner);
CREATE INDEX interviews_team ON interviews (team);

CREATE TABLE events (
  session_id text NOT NULL REFERENCES interviews (session_id),
  seq integer NOT NULL CHECK (seq >= 0),
  owner name NOT NULL DEFAULT current_user,
  record bytea NOT NULL,
  PRIMARY KEY (session_id, seq)
);

CREATE TABLE summaries (
  session_id text PRIMARY KEY REFERENCES interviews (session_id),
  owner name NOT NULL DEFAULT current_user,
  team text NOT NULL DEFAULT csec_my_team(),
  events integer NOT NULL CHECK (events >= 0),
  wrap text NOT NULL REFERENCES wraps (id),
  sealed bytea NOT NULL,
  updated timestamptz NOT NULL DEFAULT now()
);

ALTER TABLE schema_version ENABLE ROW LEVEL SECURITY;
ALTER TABLE schema_version FORCE ROW LEVEL SECURITY;
ALTER TABLE county_keys ENABLE ROW LEVEL SECURITY;
ALTER TABLE county_keys FORCE ROW LEVEL SECURITY;
ALTER TABLE workers ENABLE ROW LEVEL SECURITY;
ALTER TABLE workers FORCE ROW LEVEL SECURITY;
ALTER TABLE wraps ENABLE ROW LEVEL SECURITY;
ALTER TABLE wraps FORCE ROW LEVEL SECURITY;
ALTER TABLE interviews ENABLE ROW LEVEL SECURITY;
ALTER TABLE interviews FORCE ROW LEVEL SECURITY;
ALTER TABLE events ENABLE ROW LEVEL SECURITY;
ALTER TABLE events FORCE ROW LEVEL SECURITY;
ALTER TABLE summaries ENABLE ROW LEVEL SECURITY;
ALTER TABLE summaries FORCE ROW LEVEL SECURITY;

REVOKE ALL ON schema_version, county_keys, workers, wraps, interviews, events, summaries
  FROM PUBLIC;
GRANT SELECT ON schema_version, county_keys, workers
  TO csec_worker, csec_supervisor, csec_coordinator;
GRANT UPDATE (public_key) ON workers TO csec_worker, csec_supervisor, csec_coordinator;
GRANT SELECT, INSERT ON wraps, interviews, events TO csec_worker, csec_supervisor;
GRANT SELECT, INSERT, UPDATE ON summaries TO csec_worker, csec_supervisor;
GRANT SELECT ON wraps, summaries TO csec_coordinator;

-- Public to every role: the schema's version and the county's public keys.
CREATE POLICY readable ON schema_version FOR SELECT USING (true);
CREATE POLICY readable ON county_keys FOR SELECT USING (true);

-- workers: yourself; a supervisor their team; the coordinator everyone (no content there).
CREATE POLICY self ON workers FOR SELECT USING (role = current_user);
CREATE POLICY team ON workers FOR SELECT TO csec_supervisor
  USING ((SELECT csec_my_kind()) = 'supervisor' AND team = (SELECT csec_my_team()));
CREATE POLICY county ON workers FOR SELECT TO csec_coordinator
  USING ((SELECT csec_my_kind()) = 'coordinator');
CREATE POLICY own_key ON workers FOR UPDATE USING (role = current_user)
  WITH CHECK (role = current_user);

-- The owner's own rows: read, and add as themselves, in their own team.
CREATE POLICY own ON wraps FOR SELECT USING (owner = current_user);
CREATE POLICY add ON wraps FOR INSERT
  WITH CHECK (owner = current_user AND team = (SELECT csec_my_team()));
CREATE POLICY own ON interviews FOR SELECT USING (owner = current_user);
CREATE POLICY add ON interviews FOR INSERT
  WITH CHECK (owner = current_user AND team = (SELECT csec_my_team())
              AND EXISTS (SELECT FROM wraps w WHERE w.id = wrap AND w.owner = current_user));
CREATE POLICY own ON events FOR SELECT USING (owner = current_user);
CREATE POLICY add ON events FOR INSERT
  WITH CHECK (owner = current_user AND EXISTS (
    SELECT FROM interviews i WHERE i.session_id = events.session_id
                               AND i.owner = current_user));
CREATE POLICY own ON summaries FOR SELECT USING (owner = current_user);
CREATE POLICY add ON summaries FOR INSERT
  WITH CHECK (owner = current_user AND team = (SELECT csec_my_team()) AND EXISTS (
    SELECT FROM interviews i WHERE i.session_id = summaries.session_id
                               AND i.owner = current_user)
    AND EXISTS (SELECT FROM wraps w WHERE w.id = wrap AND w.owner = current_user));
CREATE POLICY replace ON summaries FOR UPDATE USING (owner = current_user)
  WITH CHECK (owner = current_user AND team = (SELECT csec_my_team())
              AND EXISTS (SELECT FROM wraps w WHERE w.id = wrap AND w.owner = current_user));

-- A supervisor reads their team's interviews (and what goes with them).
CREATE POLICY team ON wraps FOR SELECT TO csec_supervisor
  USING ((SELECT csec_my_kind()) = 'supervisor' AND team = (SELECT csec_my_team()));
CREATE POLICY team ON interviews FOR SELECT TO csec_supervisor
  USING ((SELECT csec_my_kind()) = 'supervisor' AND team = (SELECT csec_my_team()));
CREATE POLICY team ON events FOR SELECT TO csec_supervisor
  USING ((SELECT csec_my_kind()) = 'supervisor' AND session_id IN (
    SELECT i.session_id FROM interviews i WHERE i.team = (SELECT csec_my_team())));
CREATE POLICY team ON summaries FOR SELECT TO csec_supervisor
  USING ((SELECT csec_my_kind()) = 'supervisor' AND team = (SELECT csec_my_team()));

-- The coordinator: the county table's summaries (and the wraps that open them), nothing else.
CREATE POLICY county ON wraps FOR SELECT TO csec_coordinator
  USING ((SELECT csec_my_kind()) = 'coordinator');
CREATE POLICY county ON summaries FOR SELECT TO csec_coordinator
  USING ((SELECT csec_my_kind()) = 'coordinator');
