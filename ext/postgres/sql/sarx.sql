-- The SQL interface of the extension sarx (docs/SQL.md).  pg_regress has
-- run CREATE EXTENSION sarx in this database (--load-extension).
SELECT sarx_version() ~ '^[0-9]+\.[0-9]+\.[0-9]+' AS version_ok;
SELECT extversion = sarx_version() AS script_is_the_library FROM pg_extension WHERE extname = 'sarx';

-- The enum holds the library's definitions in its order (sarx_results lists
-- them in the library's order), and is not collatable (postgres_fdw ships it).
SELECT array_agg(definition) = enum_range(NULL::sarx_definition)::sarx_definition[] AS enum_is_library_order
FROM sarx_results('{}'::jsonb);
SELECT typcollation = 0 AS not_collatable FROM pg_type WHERE typname = 'sarx_definition';
SELECT (enum_range(NULL::sarx_definition))[1] AS first_definition;

-- Every function: IMMUTABLE STRICT PARALLEL SAFE, but sarx_version (STABLE).
SELECT p.proname, p.provolatile, p.proisstrict, p.proparallel, count(*)
FROM pg_proc p JOIN pg_depend d ON d.objid = p.oid AND d.classid = 'pg_proc'::regclass
JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'sarx'
WHERE p.proname LIKE 'sarx\_%' AND p.prokind IN ('f', 'a')
  AND p.proname NOT LIKE 'sarx\_omop%'
GROUP BY 1, 2, 3, 4 ORDER BY 1;

CREATE TABLE visit (id int PRIMARY KEY, subject jsonb);
INSERT INTO visit VALUES
 (1, '{"sex": "female", "age_years": 81, "grip_kg": 14, "height_cm": 158, "weight_kg": 52, "asm_kg": 11.2, "asm_method": "dxa", "gait_speed_m_s": 0.6}'),
 (2, '{"sex": "male", "age_years": 70, "grip_kg": 41, "height_cm": 176, "weight_kg": 80}'),
 (3, '{"sex": "female", "grip_kg": 14}'),
 (4, '{"sex": "female", "grip_kg": null, "height_cm": 160, "weight_kg": 60}'),
 (5, '{"sex": "male", "grip_kg": 400}'),
 (6, NULL),
 (7, '{"sex": "male", "age_years": 66, "weight_kg": 70, "assessment_date": "2024-06-01", "weight_history": [{"date": "2024-01-01", "weight_kg": 80}, {"date": "2024-06-01", "weight_kg": 70}], "conditions": ["cancer"]}');

-- Categories: jsonb, json and text give the same; a literal definition
-- needs no cast.
SELECT id, sarx_category(subject, 'ewgsop2') AS ewgsop2,
       sarx_category(subject::json, 'ewgsop2') = sarx_category(subject, 'ewgsop2') AS json_same,
       sarx_category(subject::text, 'ewgsop2') = sarx_category(subject, 'ewgsop2') AS text_same,
       sarx_complete(subject, 'ewgsop2') AS complete,
       sarx_missing(subject, 'ewgsop2') AS missing
FROM visit WHERE id <> 5 ORDER BY id;
SELECT sarx_category('{"sex": "female", "grip_kg": 14}', 'ewgsop2') AS untyped_literal;

-- A text variable names a definition with a cast.
SELECT sarx_category(v.subject, d.name::sarx_definition) AS category
FROM visit v, (VALUES ('ewgsop1'), ('awgs2019')) d(name) WHERE v.id = 1 ORDER BY 1;
SELECT sarx_category(v.subject, d.name) FROM visit v, (VALUES ('ewgsop1')) d(name) WHERE v.id = 1;
SELECT sarx_category(subject, 'no_such_definition') FROM visit WHERE id = 1;

-- The whole table of results for one subject.
SELECT definition, category, complete, missing FROM sarx_results((SELECT subject FROM visit WHERE id = 1));
SELECT count(*) = (SELECT count(*) FROM unnest(enum_range(NULL::sarx_definition))) AS one_row_each
FROM sarx_results('{"sex": "male"}'::text);

-- Derived values; NULL when not computable; an unknown name lists the names.
SELECT id, round(sarx_measure(subject, 'bmi')::numeric, 4) AS bmi,
       round(sarx_measure(subject, 'asmi')::numeric, 4) AS asmi,
       round(sarx_measure(subject, 'weight_loss_pct_6m')::numeric, 4) AS loss_6m
FROM visit WHERE id <> 5 ORDER BY id;
SELECT sarx_measure('{"height_cm": 170}'::jsonb, 'no_such_measure');

-- Checks: NULL when valid, else the library's message (never an error).
SELECT id, sarx_check(subject) FROM visit ORDER BY id;
SELECT sarx_check('{"sex": "male", "grip_kg": 400}'::text) AS text_check,
       sarx_check('[1, 2]'::jsonb) AS not_an_object,
       sarx_check('{"sex": "male", "colour": "blue"}'::jsonb) AS unknown_field,
       sarx_check('{"sex": "male", "grip_kg": "30"}'::jsonb) AS wrong_type,
       sarx_check('{"sex": "male",'::text) AS syntax;

-- An invalid subject is an error, SQLSTATE 22023, with the library's message.
SELECT sarx_category(subject, 'ewgsop2') FROM visit WHERE id = 5;
DO $$
BEGIN
    PERFORM sarx_complete('{"sex": "other"}'::jsonb, 'ewgsop2');
EXCEPTION WHEN invalid_parameter_value THEN
    RAISE NOTICE 'invalid_parameter_value: %', SQLERRM;
END $$;

-- The assessment: the JSON of `sarx assess --format json`.
SELECT jsonb_typeof(a) AS type, a->>'sarx_version' = sarx_version() AS version,
       jsonb_array_length(a->'results') = (SELECT count(*) FROM unnest(enum_range(NULL::sarx_definition))) AS results,
       a ? 'guidance' AS guidance, a->'subject'->'derived'->'bmi' AS bmi
FROM (SELECT sarx_assess(subject) AS a FROM visit WHERE id = 2) s;
SELECT sarx_assess(subject) = sarx_assess(subject::text) AS same FROM visit WHERE id = 7;

-- Aggregates: NULL subjects skipped, invalid subjects counted apart.
SELECT sarx_prevalence(subject, 'ewgsop2') FROM visit;
SELECT sarx_prevalence(subject, 'fearon2011') FROM visit;
SELECT sarx_kappa(subject, 'ewgsop2', 'ewgsop1') FROM visit;
SELECT sarx_kappa(subject, 'ewgsop2', 'ewgsop2') -> 'table' AS same_definition FROM visit;
SELECT sarx_prevalence(subject, 'ewgsop2') FROM visit WHERE false;
SELECT id % 2 AS odd, sarx_prevalence(subject, 'ewgsop2') ->> 'n' AS n FROM visit GROUP BY 1 ORDER BY 1;

-- Per-part states combine exactly.
SELECT sarx_prevalence_state(subject, 'ewgsop2') AS state FROM visit;
SELECT sarx_prevalence_merge(state) = (SELECT sarx_prevalence(subject, 'ewgsop2') FROM visit) AS merged_equal
FROM (SELECT sarx_prevalence_state(subject, 'ewgsop2') AS state FROM visit GROUP BY id % 3) parts;
SELECT sarx_kappa_merge(state) = (SELECT sarx_kappa(subject, 'ewgsop2', 'awgs2019') FROM visit) AS merged_equal
FROM (SELECT sarx_kappa_state(subject, 'ewgsop2', 'awgs2019') AS state FROM visit GROUP BY id % 2) parts;
SELECT sarx_counts_add('{1,2,3,4,5}', '{10,20,30,40,50}');
SELECT sarx_prevalence_merge(s) FROM (VALUES ('{1,2,3,4,5,6}'::bigint[])) v(s);
SELECT sarx_counts_add('{1,2,3,4,5}', '{1,2,3,4,5,6}');
SELECT sarx_prevalence_final('{1,-2,3,4,5}');
SELECT sarx_kappa_final('{1,2,3,4,5,NULL}');

-- A jsonb number reads as its JSON text does (sarx_pg_numeric.c): every
-- spelling, digits beyond a double's, the long numeric header, alternate
-- units, a number as the id, and the same messages for bad values.
SELECT n, CASE WHEN sarx_check(j::json) IS NULL THEN sarx_assess(j::jsonb) = sarx_assess(j::json) END AS same_result,
       sarx_check(j::jsonb) IS NOT DISTINCT FROM sarx_check(j::json) AS same_check, sarx_check(j::jsonb) AS message
FROM (VALUES
  (1, '{"sex": "male", "age_years": 70.0, "height_cm": 175.50, "weight_kg": 7.05e1, "grip_kg": 26.999999999999999999, "asm_kg": 1.95E1}'),
  (2, '{"sex": "female", "weight_lb": 140, "height_in": 64.5, "grip_lb": 44.000, "gait_speed_m_s": 0.7999999999999999}'),
  (3, '{"id": 12345, "sex": "male", "age_years": 81, "grip_kg": 0.00000000000000000000000000000000000000000000000000000000000000000000003e70}'),
  (4, '{"sex": "male", "grip_kg": 20.000000000000000000000000000000000000000000000000000000000000000000001}'),
  (5, '{"sex": "male", "grip_kg": 1234567890123456789}'),
  (6, '{"sex": "male", "grip_kg": 500.0}'),
  (7, '{"sex": "male", "sppb_score": 7.5}'),
  (8, '{"sex": "male", "sppb_score": 7.000}'),
  (9, '{"sex": 1}'),
  (10, '{"sex": "male", "weight_kg": 0.1}'),
  (11, '{"sex": "male", "age_years": 1e2, "weight_kg": 72.30, "height_cm": 1.8e2, "gait_speed_m_s": 0.80}')
) AS t(n, j)
ORDER BY n;

-- NULL arguments give NULL.
SELECT sarx_category(NULL::jsonb, 'ewgsop2') IS NULL AS null_subject,
       sarx_category('{}'::jsonb, NULL) IS NULL AS null_definition,
       sarx_measure('{}'::jsonb, NULL) IS NULL AS null_name;

-- The extension drops and comes back.
DROP TABLE visit;
DROP EXTENSION sarx;
CREATE EXTENSION sarx;
SELECT sarx_category('{"sex": "male", "grip_kg": 20}'::jsonb, 'ewgsop2');

-- The input fields, from the library (sarx fields): an alternate unit names its canonical field.
SELECT name, canonical, kind, unit, min, max, allowed FROM sarx_fields()
WHERE name IN ('grip_kg', 'grip_lb', 'sex', 'chair_stand_unable', 'conditions') ORDER BY name;
SELECT count(*) > 80 AS many, count(*) FILTER (WHERE name = canonical) > 60 AS canonical FROM sarx_fields();
