-- 0003: a handoff names its sender, and one sender cannot flood a worker (attack audit,
-- finding 2: any county user may seal a package to a worker's public key).
--
-- handoffs.sender_team  the sender's team when the row was made, set and checked by the
--                       database (the recipient may not read `workers`, so the row carries it).
-- At most csec_max_pending_handoffs() rows from one sender to one recipient wait unreceived:
-- a bound the INSERT policy checks, under a lock per (sender, recipient) so that two
-- transactions at once cannot both take the last place.

ALTER TABLE handoffs ADD COLUMN sender_team text DEFAULT csec_my_team();

CREATE FUNCTION csec_max_pending_handoffs() RETURNS integer LANGUAGE sql IMMUTABLE
  AS $$ SELECT 20 $$;

-- How many of the connected user's handoffs to `person` wait unreceived (read with the
-- definer's rights: the sender may not read the rows). VOLATILE: a fresh snapshot after the
-- lock, so it counts what another transaction committed while this one waited.
CREATE FUNCTION csec_pending_handoffs(person name) RETURNS integer LANGUAGE plpgsql VOLATILE
  SECURITY DEFINER SET search_path = pg_catalog, pg_temp
  AS $$
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext('csec handoff ' || session_user),
                                hashtext(person::text));
  RETURN (SELECT count(*) FROM public.handoffs
          WHERE sender = session_user AND recipient = person AND received IS NULL);
END $$;
REVOKE ALL ON FUNCTION csec_max_pending_handoffs(), csec_pending_handoffs(name) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION csec_max_pending_handoffs(), csec_pending_handoffs(name)
  TO csec_worker, csec_supervisor;

DROP POLICY add ON handoffs;
CREATE POLICY add ON handoffs FOR INSERT
  WITH CHECK (sender = session_user AND recipient <> session_user
              AND csec_is_user(recipient) AND received IS NULL
              AND sender_team IS NOT DISTINCT FROM csec_my_team()
              AND csec_pending_handoffs(recipient) < csec_max_pending_handoffs());
