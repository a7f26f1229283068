-- One node's visits for tests/pg/multinode.sh (docs/SCALEOUT.md), run by
-- psql with the cohort CSV of `sarx synth` on its standard input:
--
--   psql -v columns='id text, sex text, ..., site text' -v fields="$(sarx fields --format json)" \
--        -v sites=site0,site1 -v table=visits -v view=visits_ewgsop2 -f node.sql < cohort.csv
--
-- columns: the CSV's header as a column list (every column text); fields:
-- `sarx fields --format json`; sites: the sites this node holds, comma
-- separated, or * for every row (the single-node table).  The table has one
-- row per CSV row of those sites: (site, subject jsonb), the subject made of
-- the row's non-empty cells that name a field (as `sarx cohort` reads them:
-- other columns are ignored; an empty cell is not measured, so its key is
-- left out), numbers and integers as JSON numbers, booleans as true/false,
-- the rest as strings.  Values are not checked here: an out-of-range one is
-- loaded as it is and the aggregates count the row as invalid.
\set ON_ERROR_STOP 1
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS sarx;

CREATE TEMP TABLE field (name text PRIMARY KEY, kind text NOT NULL);
INSERT INTO field SELECT f->>'name', f->>'kind' FROM jsonb_array_elements(:'fields'::jsonb) f;

CREATE TEMP TABLE raw (:columns);
\copy raw FROM pstdin WITH (FORMAT csv, HEADER true)

CREATE TABLE :"table" (site text NOT NULL, subject jsonb NOT NULL);
INSERT INTO :"table" (site, subject)
SELECT r.site,
       (SELECT coalesce(jsonb_object_agg(e.key, CASE f.kind
                            WHEN 'number' THEN to_jsonb(e.value::numeric)
                            WHEN 'integer' THEN to_jsonb(e.value::numeric)
                            WHEN 'bool' THEN to_jsonb(e.value::boolean)
                            ELSE to_jsonb(e.value) END), '{}')
          FROM jsonb_each_text(to_jsonb(r)) e
          JOIN field f ON f.name = e.key
         WHERE e.value <> '')
  FROM raw r
 WHERE :'sites' = '*' OR r.site = ANY (string_to_array(:'sites', ','));
ANALYZE :"table";

-- The category under ewgsop2 as a column (NULL for an invalid subject): a
-- comparison with a foreign column is shipped by postgres_fdw, one with
-- sarx_category(...)'s text result is not (docs/SCALEOUT.md).
CREATE VIEW :"view" AS
SELECT site, subject,
       CASE WHEN sarx_check(subject) IS NULL THEN sarx_category(subject, 'ewgsop2') END AS category
  FROM :"table";
