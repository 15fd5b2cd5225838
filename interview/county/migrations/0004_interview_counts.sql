-- 0004: what the county table needs to know of every interview without reading any (audit A2,
-- A4). The coordinator reads summaries only (0001); an interview synced without one, or whose
-- summary was put back from an older copy, was invisible to them and silently not counted.
--
-- csec_interview_counts()  per interview on the server: its id and max(seq) + 1 (how many
--                          events its laptop had sent when the last of them arrived). Never
--                          an event, a key, an owner or a team. One index probe per interview
--                          (100,000 interviews of 30 events: about 0.5 s; a count(*) of
--                          every event took 2 to 3 s).
--                          Read with the definer's rights (the coordinator may not read
--                          `interviews` or `events`), for an enabled coordinator only: the
--                          other roles read their own rows under row level security instead.

CREATE FUNCTION csec_interview_counts()
  RETURNS TABLE (session_id text, next_seq integer)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
  AS $$
    SELECT i.session_id, coalesce((SELECT max(e.seq) FROM public.events e
                                   WHERE e.session_id = i.session_id) + 1, 0)
    FROM public.interviews i
    WHERE public.csec_my_kind() = 'coordinator'
  $$;
REVOKE ALL ON FUNCTION csec_interview_counts() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION csec_interview_counts() TO csec_coordinator;
