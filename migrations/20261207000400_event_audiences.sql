-- What an event shows is decided when it is read, by who may read what it is about now:
-- an item made private later hides its past events from those who can no longer read it.
-- Events stay append-only; this view joins each one to its subject as it is today.
--
--   subject_*  the item the event is about (NULL when it no longer exists: the event's
--              own visibility then decides alone);
--   other_*    a second item the event reveals (a run or result names a model card as
--              well as its benchmark);
--   context_*  the project whose workstreams the event carries (a model card's project,
--              an assessment's project): its workstreams are shown only to readers of
--              that project. NULL when the workstreams are the subject's own.
--
-- Readers apply `can_read` to each pair (hub/src/db/events.rs), the one read policy.

-- An event's numeric subject (run, job, assessment ids), or NULL for anything else.
CREATE FUNCTION event_subject_id(subject text) RETURNS bigint
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN subject ~ '^[0-9]{1,18}$' THEN subject::bigint END
$$;

CREATE VIEW events_now AS
SELECT e.id, e.at, e.actor, e.kind, e.subject_kind, e.subject, e.summary, e.workstreams,
       e.organisations, e.visibility, e.payload,
       s.subject_visibility, s.subject_owners, s.other_visibility, s.other_owners,
       s.context_visibility, s.context_owners
FROM events e
LEFT JOIN LATERAL (
    SELECT p.visibility::text,
           ARRAY(SELECT o.slug::text FROM project_organisations po
                 JOIN organisations o ON o.id = po.organisation_id WHERE po.project_id = p.id),
           NULL::text, NULL::text[], NULL::text, NULL::text[]
    FROM projects p
    WHERE e.subject_kind = 'project' AND p.slug = e.subject
    UNION ALL
    SELECT m.visibility::text, ARRAY[o.slug::text], NULL, NULL,
           coalesce(p.visibility::text, 'organisation'),
           ARRAY(SELECT po_o.slug::text FROM project_organisations po
                 JOIN organisations po_o ON po_o.id = po.organisation_id
                 WHERE po.project_id = p.id)
    FROM organisations o
    JOIN model_cards m ON m.organisation_id = o.id
    LEFT JOIN projects p ON p.id = m.project_id
    WHERE e.subject_kind IN ('model', 'model_version')
      AND o.slug = split_part(e.subject, '/', 1) AND m.name = split_part(e.subject, '/', 2)
    UNION ALL
    SELECT w.visibility::text, '{}'::text[], NULL, NULL, NULL, NULL
    FROM workstreams w
    WHERE e.subject_kind IN ('workstream', 'membership')
      AND w.slug = CASE e.subject_kind WHEN 'workstream' THEN e.subject ELSE e.workstreams[1] END
    UNION ALL
    SELECT b.visibility::text,
           ARRAY(SELECT o.slug::text FROM benchmark_participants bp
                 JOIN organisations o ON o.id = bp.organisation_id WHERE bp.benchmark_id = b.id),
           NULL, NULL, NULL, NULL
    FROM benchmarks b
    WHERE e.subject_kind = 'benchmark' AND b.slug = e.subject
    UNION ALL
    SELECT b.visibility::text,
           ARRAY(SELECT o.slug::text FROM benchmark_participants bp
                 JOIN organisations o ON o.id = bp.organisation_id WHERE bp.benchmark_id = b.id),
           mc.visibility::text, ARRAY[mo.slug::text], NULL, NULL
    FROM benchmark_runs r
    JOIN benchmarks b ON b.id = r.benchmark_id
    JOIN model_versions mv ON mv.id = r.model_version_id
    JOIN model_cards mc ON mc.id = mv.model_card_id
    JOIN organisations mo ON mo.id = mc.organisation_id
    WHERE e.subject_kind IN ('benchmark_run', 'benchmark_result')
      AND r.id = CASE e.subject_kind
                     WHEN 'benchmark_run' THEN event_subject_id(e.subject)
                     ELSE (SELECT j.run_id FROM benchmark_jobs j
                           WHERE j.id = event_subject_id(e.subject)) END
    UNION ALL
    SELECT coalesce(p.visibility, m.visibility)::text,
           CASE WHEN a.project_id IS NOT NULL
                THEN ARRAY(SELECT o.slug::text FROM project_organisations po
                           JOIN organisations o ON o.id = po.organisation_id
                           WHERE po.project_id = a.project_id)
                ELSE ARRAY[mo.slug::text] END,
           NULL, NULL,
           coalesce(cp.visibility::text, 'organisation'),
           ARRAY(SELECT o.slug::text FROM project_organisations po
                 JOIN organisations o ON o.id = po.organisation_id WHERE po.project_id = cp.id)
    FROM assessments a
    LEFT JOIN projects p ON p.id = a.project_id
    LEFT JOIN model_versions v ON v.id = a.model_version_id
    LEFT JOIN model_cards m ON m.id = v.model_card_id
    LEFT JOIN organisations mo ON mo.id = m.organisation_id
    LEFT JOIN projects cp ON cp.id = coalesce(a.project_id, m.project_id)
    WHERE e.subject_kind = 'assessment' AND a.id = event_subject_id(e.subject)
) s (subject_visibility, subject_owners, other_visibility, other_owners,
     context_visibility, context_owners) ON true;

-- Whether everyone who may read an item of visibility `of_visibility` owned by
-- `of_owners` may also read one of `item_visibility` owned by `item_owners`, under
-- `can_read`. The search index is shared by all readers: a document carries another
-- item's names (a card's project fields, a project's workstreams) only when this holds.
CREATE FUNCTION readers_may_read(item_visibility text, item_owners text[],
                                 of_visibility text, of_owners text[])
RETURNS boolean LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT item_visibility = 'public'
        OR (item_visibility = 'members' AND of_visibility <> 'public')
        OR (of_visibility = 'organisation' AND cardinality(of_owners) > 0
            AND of_owners <@ item_owners)
$$;
