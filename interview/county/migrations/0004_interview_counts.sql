-- 0004: what the county table needs to know of every interview without reading any (audit A2,
-- A4). The coordinator reads summaries only (0001); an interview synced without one, or whose
-- summary was put back from an older copy, was invisible to them and silently not counted.
--
-- csec_interview_counts()  per interview on the server: its id, how many events the server
--                          holds and max(seq) + 1. Never an event, a key, an owner or a team.
--                          Read with the definer's rights (the coordinator may not read
--                          `interviews` or `events`), for an enabled coordinator only: the
--                          other roles read their own rows under row level security instead.

CREATE FUNCTION csec_interview_counts()
  RETURNS TABLE (session_id text, events bigint, next_seq integer)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
  AS $$
    SELECT i.session_id, count(e.seq), coalesce(max(e.seq) + 1, 0)
    FROM public.interviews i LEFT JOIN public.events e ON e.session_id = i.session_id
    WHERE public.csec_my_kind() = 'coordinator'
    GROUP BY i.session_id
  $$;
REVOKE ALL ON FUNCTION csec_interview_counts() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION csec_interview_counts() TO csec_coordinator;
