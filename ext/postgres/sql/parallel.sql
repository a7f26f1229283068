-- The aggregates in a parallel plan (Partial Aggregate in the workers,
-- their bigint[] states combined by sarx_counts_add, then the final JSON)
-- give exactly the serial answer.
CREATE TABLE cohort AS
SELECT i AS id,
       CASE WHEN i % 97 = 0 THEN NULL
            WHEN i % 89 = 0 THEN jsonb_build_object('sex', 'male', 'grip_kg', 500)   -- invalid: counted apart
            ELSE jsonb_strip_nulls(jsonb_build_object(
                'sex', CASE WHEN i % 2 = 0 THEN 'male' ELSE 'female' END,
                'age_years', 60 + i % 35,
                'height_cm', 150 + i % 40,
                'weight_kg', 45 + (i * 7) % 50,
                'grip_kg', CASE WHEN i % 11 = 0 THEN NULL ELSE 8 + (i * 13) % 40 END,
                'asm_kg', CASE WHEN i % 5 = 0 THEN NULL ELSE 10 + (i * 3) % 16 END,
                'asm_method', 'dxa',
                'gait_speed_m_s', CASE WHEN i % 7 = 0 THEN NULL ELSE round(0.4 + (i % 12) / 10.0, 2) END,
                'cancer', i % 13 = 0,
                'weight_loss_pct_6m', CASE WHEN i % 3 = 0 THEN (i % 15) END))
       END AS subject
FROM generate_series(1, 20000) i;
ALTER TABLE cohort SET (parallel_workers = 2);
ANALYZE cohort;

-- Serial answers.
SET max_parallel_workers_per_gather = 0;
CREATE TEMP TABLE serial AS
SELECT sarx_prevalence(subject, 'ewgsop2') AS prev_ewgsop2,
       sarx_prevalence(subject, 'fearon2011') AS prev_fearon,
       sarx_kappa(subject, 'ewgsop2', 'awgs2019') AS kappa,
       count(*) FILTER (WHERE CASE WHEN sarx_check(subject) IS NULL THEN sarx_category(subject, 'ewgsop2') END = 'sarcopenia') AS sarcopenia
FROM cohort;
SELECT prev_ewgsop2, kappa, sarcopenia FROM serial;

-- The same with two workers.
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
EXPLAIN (COSTS OFF)
SELECT sarx_prevalence(subject, 'ewgsop2'), sarx_prevalence(subject, 'fearon2011'),
       sarx_kappa(subject, 'ewgsop2', 'awgs2019'),
       count(*) FILTER (WHERE CASE WHEN sarx_check(subject) IS NULL THEN sarx_category(subject, 'ewgsop2') END = 'sarcopenia')
FROM cohort;
SELECT p.prev_ewgsop2 = s.prev_ewgsop2 AS prevalence_equal, p.prev_fearon = s.prev_fearon AS fearon_equal,
       p.kappa = s.kappa AS kappa_equal, p.sarcopenia = s.sarcopenia AS count_equal
FROM serial s,
     (SELECT sarx_prevalence(subject, 'ewgsop2') AS prev_ewgsop2,
             sarx_prevalence(subject, 'fearon2011') AS prev_fearon,
             sarx_kappa(subject, 'ewgsop2', 'awgs2019') AS kappa,
             count(*) FILTER (WHERE CASE WHEN sarx_check(subject) IS NULL THEN sarx_category(subject, 'ewgsop2') END = 'sarcopenia') AS sarcopenia
      FROM cohort) p;

-- The workers did run: two launched, each with a partial state.
CREATE FUNCTION workers_launched(q text) RETURNS int LANGUAGE plpgsql AS $$
DECLARE
    line text;
BEGIN
    FOR line IN EXECUTE 'EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) ' || q LOOP
        IF line ~ 'Workers Launched:' THEN
            RETURN substring(line FROM 'Workers Launched: ([0-9]+)')::int;
        END IF;
    END LOOP;
    RETURN 0;
END $$;
SELECT workers_launched('SELECT sarx_prevalence(subject, ''ewgsop2'') FROM cohort') AS workers;

-- Grouped: per-group partial states, combined after the Gather.
EXPLAIN (COSTS OFF)
SELECT subject->>'sex' AS sex, sarx_prevalence(subject, 'ewgsop2') FROM cohort GROUP BY 1 ORDER BY 1;
CREATE TEMP TABLE grouped_parallel AS
SELECT subject->>'sex' AS sex, sarx_prevalence(subject, 'ewgsop2') AS p FROM cohort GROUP BY 1;
SET max_parallel_workers_per_gather = 0;
SELECT count(*) AS groups, bool_and(g.p = s.p) AS all_equal
FROM grouped_parallel g
JOIN (SELECT subject->>'sex' AS sex, sarx_prevalence(subject, 'ewgsop2') AS p FROM cohort GROUP BY 1) s
  ON g.sex IS NOT DISTINCT FROM s.sex;

DROP FUNCTION workers_launched(text);
DROP TABLE cohort;
RESET ALL;
