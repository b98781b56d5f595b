-- Web URLs stored before they were checked and normalised (project repositories,
-- organisation web sites, the links of QF4SA assessment dimensions) are brought to the
-- form the hub now stores: http or https, a host, no user name or password, no spaces,
-- quotes, `<`, `>`, backticks or backslashes; scheme and host in lower case, `/` for an
-- empty path. What can be repaired is (surrounding spaces, quotes or angle brackets,
-- credentials, inner spaces); what cannot is dropped from its list (or the web site set
-- to NULL). Every change is reported with RAISE NOTICE.

CREATE FUNCTION pg_temp.clean_url(raw text) RETURNS text LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
    v text := btrim(raw, E' \t\r\n');
    m text[];
BEGIN
    IF v IS NULL THEN
        RETURN NULL;
    END IF;
    -- A URL written inside quotes or brackets, as pasted from text or Markdown.
    WHILE length(v) >= 2 AND (
        (left(v, 1) = '"' AND right(v, 1) = '"') OR (left(v, 1) = '''' AND right(v, 1) = '''')
        OR (left(v, 1) = '<' AND right(v, 1) = '>') OR (left(v, 1) = '`' AND right(v, 1) = '`'))
    LOOP
        v := btrim(substr(v, 2, length(v) - 2), E' \t\r\n');
    END LOOP;
    v := replace(v, ' ', '%20');
    -- Scheme, credentials (dropped), host, port, and the rest.
    m := regexp_match(v, '^(https?)://(?:[^/?#@]*@)?([^/?#:@]+)(:[0-9]{1,5})?([/?#].*)?$', 'i');
    IF m IS NULL THEN
        RETURN NULL;
    END IF;
    v := lower(m[1]) || '://' || lower(m[2]) || coalesce(m[3], '') || coalesce(m[4], '/');
    IF left(coalesce(m[4], '/'), 1) <> '/' THEN
        -- `https://x.org?q` has an empty path: the parsed form writes it `/`.
        v := lower(m[1]) || '://' || lower(m[2]) || coalesce(m[3], '') || '/' || m[4];
    END IF;
    IF v ~ '[[:space:][:cntrl:]"''<>`\\]' OR length(v) > 2000 THEN
        RETURN NULL;
    END IF;
    RETURN v;
END $$;

DO $$
DECLARE
    changed bigint;
    dropped bigint;
BEGIN
    -- Project repositories.
    WITH old AS (
        SELECT p.id, u.url, u.n, pg_temp.clean_url(u.url) AS clean
        FROM projects p, unnest(p.repositories) WITH ORDINALITY AS u(url, n)
    ), counts AS (
        SELECT count(*) FILTER (WHERE clean IS NOT NULL AND clean <> url) AS changed,
               count(*) FILTER (WHERE clean IS NULL) AS dropped FROM old
    ), fixed AS (
        UPDATE projects p SET repositories = ARRAY(
            SELECT clean FROM (
                SELECT pg_temp.clean_url(u.url) AS clean, min(u.n) AS n
                FROM unnest(p.repositories) WITH ORDINALITY AS u(url, n) GROUP BY 1) c
            WHERE clean IS NOT NULL ORDER BY n)
        WHERE EXISTS (SELECT 1 FROM unnest(p.repositories) AS u(url)
                      WHERE pg_temp.clean_url(u.url) IS DISTINCT FROM u.url)
        RETURNING p.id
    )
    SELECT counts.changed, counts.dropped INTO changed, dropped FROM counts;
    RAISE NOTICE 'projects.repositories: % URL(s) normalised, % unusable URL(s) dropped', changed, dropped;

    -- Organisation web sites.
    SELECT count(*) FILTER (WHERE pg_temp.clean_url(website) IS NOT NULL),
           count(*) FILTER (WHERE pg_temp.clean_url(website) IS NULL)
      INTO changed, dropped
      FROM organisations WHERE website IS NOT NULL AND pg_temp.clean_url(website) IS DISTINCT FROM website;
    UPDATE organisations SET website = pg_temp.clean_url(website)
     WHERE website IS NOT NULL AND pg_temp.clean_url(website) IS DISTINCT FROM website;
    RAISE NOTICE 'organisations.website: % URL(s) normalised, % unusable URL(s) removed', changed, dropped;
END $$;

-- The links of each dimension of a QF4SA assessment, in its current content and in every
-- stored version.
CREATE FUNCTION pg_temp.clean_links(content jsonb) RETURNS jsonb LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
    dimension text;
    links jsonb;
BEGIN
    IF jsonb_typeof(content -> 'qf4sa') <> 'object' THEN
        RETURN content;
    END IF;
    FOR dimension IN SELECT jsonb_object_keys(content -> 'qf4sa') LOOP
        IF jsonb_typeof(content -> 'qf4sa' -> dimension -> 'links') = 'array' THEN
            SELECT coalesce(jsonb_agg(clean ORDER BY n), '[]'::jsonb) INTO links FROM (
                SELECT pg_temp.clean_url(l.url) AS clean, min(l.n) AS n
                FROM jsonb_array_elements_text(content -> 'qf4sa' -> dimension -> 'links')
                     WITH ORDINALITY AS l(url, n)
                GROUP BY 1) c
            WHERE clean IS NOT NULL;
            content := jsonb_set(content, ARRAY['qf4sa', dimension, 'links'], links);
        END IF;
    END LOOP;
    RETURN content;
END $$;

DO $$
DECLARE
    table_name text;
    changed bigint;
BEGIN
    FOREACH table_name IN ARRAY ARRAY['assessments', 'assessment_versions'] LOOP
        IF to_regclass(table_name) IS NULL THEN
            CONTINUE;
        END IF;
        EXECUTE format(
            'WITH fixed AS (UPDATE %I SET content = pg_temp.clean_links(content) '
            'WHERE content <> pg_temp.clean_links(content) RETURNING 1) SELECT count(*) FROM fixed',
            table_name) INTO changed;
        RAISE NOTICE '%.content: links of % QF4SA assessment(s) normalised or dropped', table_name, changed;
    END LOOP;
END $$;
