-- OMOP CDM 5.4: subjects from person, measurement and condition_occurrence,
-- categories, cohort rows (docs/OMOP.md).  pg_regress has run CREATE
-- EXTENSION sarx.  Concept ids of measurements, units and genders are the
-- real OMOP ones (sarx_omop_concept); the SNOMED condition concepts are real
-- too (OHDSI's Eunomia Synthea27Nj vocabulary); the ICD10CM concept ids of
-- this small vocabulary (9000001..) are fixtures of the test.
SET client_min_messages = warning;
SET extra_float_digits = 0;
\set SHOW_CONTEXT never

CREATE SCHEMA cdm;
CREATE SCHEMA results;

-- The CDM 5.4 tables the functions read (the columns of the OHDSI DDL).
CREATE TABLE cdm.person (
    person_id integer NOT NULL PRIMARY KEY, gender_concept_id integer NOT NULL,
    year_of_birth integer NOT NULL, month_of_birth integer, day_of_birth integer,
    birth_datetime timestamp, race_concept_id integer NOT NULL DEFAULT 0,
    ethnicity_concept_id integer NOT NULL DEFAULT 0, location_id integer, provider_id integer,
    care_site_id integer, person_source_value varchar(50), gender_source_value varchar(50),
    gender_source_concept_id integer, race_source_value varchar(50), race_source_concept_id integer,
    ethnicity_source_value varchar(50), ethnicity_source_concept_id integer);
CREATE TABLE cdm.measurement (
    measurement_id integer NOT NULL PRIMARY KEY, person_id integer NOT NULL,
    measurement_concept_id integer NOT NULL, measurement_date date NOT NULL,
    measurement_datetime timestamp, measurement_time varchar(10),
    measurement_type_concept_id integer NOT NULL DEFAULT 32817, operator_concept_id integer,
    value_as_number numeric, value_as_concept_id integer, unit_concept_id integer,
    range_low numeric, range_high numeric, provider_id integer, visit_occurrence_id integer,
    visit_detail_id integer, measurement_source_value varchar(50), measurement_source_concept_id integer,
    unit_source_value varchar(50), unit_source_concept_id integer, value_source_value varchar(50),
    measurement_event_id bigint, meas_event_field_concept_id integer);
CREATE TABLE cdm.condition_occurrence (
    condition_occurrence_id integer NOT NULL PRIMARY KEY, person_id integer NOT NULL,
    condition_concept_id integer NOT NULL, condition_start_date date NOT NULL,
    condition_start_datetime timestamp, condition_end_date date, condition_end_datetime timestamp,
    condition_type_concept_id integer NOT NULL DEFAULT 32817, condition_status_concept_id integer,
    stop_reason varchar(20), provider_id integer, visit_occurrence_id integer, visit_detail_id integer,
    condition_source_value varchar(50), condition_source_concept_id integer,
    condition_status_source_value varchar(50));
CREATE TABLE cdm.concept (
    concept_id integer NOT NULL PRIMARY KEY, concept_name varchar(255) NOT NULL,
    domain_id varchar(20) NOT NULL, vocabulary_id varchar(20) NOT NULL,
    concept_class_id varchar(20) NOT NULL, standard_concept varchar(1),
    concept_code varchar(50) NOT NULL, valid_start_date date NOT NULL DEFAULT '1970-01-01',
    valid_end_date date NOT NULL DEFAULT '2099-12-31', invalid_reason varchar(1));
CREATE TABLE results.cohort (
    cohort_definition_id integer NOT NULL, subject_id integer NOT NULL,
    cohort_start_date date NOT NULL, cohort_end_date date NOT NULL);

INSERT INTO cdm.concept (concept_id, concept_name, domain_id, vocabulary_id, concept_class_id, standard_concept, concept_code) VALUES
    (4180790, 'Malignant tumor of colon', 'Condition', 'SNOMED', 'Clinical Finding', 'S', '363406005'),
    (443612, 'Chronic kidney disease stage 4', 'Condition', 'SNOMED', 'Clinical Finding', 'S', '431857002'),
    (255848, 'Pneumonia', 'Condition', 'SNOMED', 'Clinical Finding', 'S', '233604007'),
    (9000001, 'Malignant neoplasm of upper lobe, bronchus or lung', 'Condition', 'ICD10CM', '4-char billing code', NULL, 'C34.1'),
    (9000002, 'Pneumonia, unspecified organism', 'Condition', 'ICD10CM', '4-char billing code', NULL, 'J18.9'),
    (9000003, 'Malignant neoplasm of colon, unspecified', 'Condition', 'ICD10CM', '4-char billing code', NULL, 'C18.9');

-- 1: a man (full birth date) losing weight, with lung cancer: Fearon.
-- 2: a woman known by her year of birth only; grip in pound force, height
--    in metres, weight in pounds; CKD as a SNOMED concept only.
-- 3: a man with no measurement at all (year and month of birth).
-- 4: a woman whose weight in 2025 has a unit the mapping does not know.
-- 5: a boy of 15 (sarx assesses adults: an invalid subject).
INSERT INTO cdm.person (person_id, gender_concept_id, year_of_birth, month_of_birth, day_of_birth, birth_datetime) VALUES
    (1, 8507, 1950, 3, 15, '1950-03-15 00:00'),
    (2, 8532, 1940, NULL, NULL, NULL),
    (3, 8507, 1960, 5, NULL, NULL),
    (4, 8532, 1955, 7, 2, NULL),
    (5, 8507, 2009, 1, 1, '2009-01-01 00:00');

INSERT INTO cdm.measurement (measurement_id, person_id, measurement_concept_id, measurement_date, measurement_datetime,
                             value_as_number, unit_concept_id, measurement_source_concept_id) VALUES
    -- person 1: weights (kg), one before the window, one after the index date, two on one day
    (101, 1, 3025315, '2022-01-10', NULL, 90, 9529, 0),
    (102, 1, 3025315, '2023-09-01', NULL, 82, 9529, 0),
    (103, 1, 3013762, '2024-01-10', NULL, 78, 9529, 0),
    (104, 1, 3025315, '2024-05-20', '2024-05-20 08:00', 75, 9529, 0),
    (105, 1, 3025315, '2024-05-20', '2024-05-20 10:30', 74, 9529, 0),
    (106, 1, 3025315, '2024-07-01', NULL, 70, 9529, 0),
    (107, 1, 3036277, '2023-09-01', NULL, 175, 8582, 0),
    -- grip and gait as local concepts in measurement_source_concept_id (measurement_concept_id 0)
    (108, 1, 0, '2024-05-20', NULL, 24, 9529, 2000500001),
    (109, 1, 0, '2024-05-20', NULL, 0.7, 44777606, 2000500002),
    (110, 1, 0, '2024-05-20', NULL, 17.5, 9529, 2000500007),
    (111, 1, 3020460, '2024-05-20', NULL, 1.2, 8840, 0),
    (112, 1, 3000963, '2024-05-20', NULL, 118, 8636, 0),
    (113, 1, 3024561, '2024-05-20', NULL, 3.1, 8713, 0),
    -- a measurement sarx does not map: ignored whatever its unit
    (114, 1, 3004410, '2024-05-20', NULL, 6.1, 8554, 0),
    -- person 2: pounds, metres, pound force; a NULL value is missing, not 0
    (201, 2, 3025315, '2024-02-01', NULL, 140, 8739, 0),
    (202, 2, 3025315, '2024-05-01', NULL, 132, 8739, 0),
    (203, 2, 3036277, '2024-05-01', NULL, 1.60, 9546, 0),
    (204, 2, 2000500001, '2024-05-01', NULL, 35, 9346, 2000500001),
    (205, 2, 2000500001, '2024-05-15', NULL, NULL, 9346, 2000500001),
    (206, 2, 0, '2024-05-01', NULL, 4, NULL, 2000500016),
    -- person 4: a weight in centimetres, after the first index date
    (401, 4, 3025315, '2025-03-01', NULL, 61, 8582, 0),
    -- person 5
    (501, 5, 3025315, '2024-04-01', NULL, 55, 9529, 0),
    (502, 5, 3036277, '2024-04-01', NULL, 170, 8582, 0);

INSERT INTO cdm.condition_occurrence (condition_occurrence_id, person_id, condition_concept_id, condition_start_date,
                                      condition_end_date, condition_source_value, condition_source_concept_id) VALUES
    -- person 1: lung cancer coded in ICD-10-CM (its SNOMED concept is not needed), a pneumonia that ended
    (1001, 1, 0, '2023-11-02', NULL, 'C34.1', 9000001),
    (1002, 1, 255848, '2024-01-05', '2024-02-01', 'J18.9', 9000002),
    -- a diagnosis after the index date is not active at it
    (1003, 1, 4180790, '2024-08-01', NULL, 'C18.9', 9000003),
    -- person 2: a SNOMED concept without an ICD-10 source: read by its name
    (2001, 2, 443612, '2020-06-01', NULL, 'CKD4', 0);

-- The shipped mapping: standard concepts and documented local ones.
SELECT local, count(*) AS rows, count(DISTINCT concept_id) AS concepts, count(DISTINCT sarx_field) AS fields
FROM sarx_omop_concept GROUP BY local ORDER BY local;
SELECT count(*) AS user_rows FROM sarx_omop_concept WHERE NOT shipped;
SELECT concept_id, unit_concept_id, sarx_field, factor FROM sarx_omop_concept
WHERE concept_id IN (3025315, 2000500001) ORDER BY concept_id, unit_concept_id;

-- The cohort ids cover every definition and category of the library, and
-- nothing else (the library's list: `sarx definitions --format json`, from
-- $SARX, else the sarx beside the PGXS build directory, else $BUILD/sarx).
\set defs `for s in "${SARX:-}" ../sarx "${BUILD:-build}/sarx"; do if [ -x "$s" ]; then exec "$s" definitions --format json; fi; done; echo null`
WITH lib AS (
    SELECT d->>'id' AS definition, c->>'category' AS category
    FROM jsonb_array_elements((:'defs')::jsonb->'definitions') d, jsonb_array_elements(d->'categories') c
), ours AS (SELECT definition::text, category FROM sarx_omop_cohort_definition)
SELECT (SELECT count(*) FROM lib) AS library_categories,
       (SELECT count(*) FROM ours) AS cohort_ids,
       (SELECT count(*) FROM (SELECT * FROM lib EXCEPT SELECT * FROM ours) x) AS missing,
       (SELECT count(*) FROM (SELECT * FROM ours EXCEPT SELECT * FROM lib) x) AS extra;
SELECT count(*) AS definitions_without_ids
FROM unnest(enum_range(NULL::sarx_definition)) d(def)
WHERE NOT EXISTS (SELECT 1 FROM sarx_omop_cohort_definition c WHERE c.definition = d.def);
SELECT cohort_definition_id, definition, category, cohort_name FROM sarx_omop_cohort_definition
WHERE definition IN ('ewgsop2', 'fearon2011') ORDER BY cohort_definition_id;

-- Subjects at 2024-06-01, window 365 days.
SELECT person_id, jsonb_pretty(subject) FROM sarx_omop_subjects('2024-06-01') ORDER BY person_id;

-- One person, the same subject.
SELECT sarx_omop_subject(1, '2024-06-01') = (SELECT subject FROM sarx_omop_subjects('2024-06-01') WHERE person_id = 1) AS same;
SELECT sarx_omop_subject(99, '2024-06-01') IS NULL AS unknown_person;

-- Age when only the year is known: left out ('exact'), or OHDSI's year difference.
SELECT person_id, subject->'age_years' AS exact FROM sarx_omop_subjects('2024-06-01') ORDER BY person_id;
SELECT person_id, subject->'age_years' AS year_difference
FROM sarx_omop_subjects('2024-06-01', age_rule => 'year_difference') ORDER BY person_id;

-- A shorter window: 30 days keeps the weights of May only.
SELECT person_id, subject->'weight_history' AS history, subject->'weight_kg' AS weight_kg, subject ? 'height_cm' AS height
FROM sarx_omop_subjects('2024-06-01', 30) WHERE person_id IN (1, 2) ORDER BY person_id;

-- Valid subjects, measures and categories: the library's, on the built subjects.
SELECT person_id, sarx_check(subject) FROM sarx_omop_subjects('2024-06-01') ORDER BY person_id;
SELECT person_id, round(sarx_measure(subject, 'weight_loss_pct_6m')::numeric, 2) AS loss_6m,
       round(sarx_measure(subject, 'bmi')::numeric, 2) AS bmi, round(sarx_measure(subject, 'asmi')::numeric, 2) AS asmi
FROM sarx_omop_subjects('2024-06-01') WHERE sarx_check(subject) IS NULL ORDER BY person_id;
SELECT s.person_id, d.def AS definition, sarx_category(s.subject, d.def) AS category
FROM sarx_omop_subjects('2024-06-01') s,
     unnest('{ewgsop2,sdoc2020,sarc_f,fearon2011,glim2019}'::sarx_definition[]) d(def)
WHERE sarx_check(s.subject) IS NULL
ORDER BY s.person_id, d.def;
-- grip 35 lbf is 15.88 kg: the same category as the subject written in pounds
SELECT sarx_category(jsonb_build_object('sex', 'female', 'grip_lb', 35), 'ewgsop2') AS in_pounds,
       sarx_category(sarx_omop_subject(2, '2024-06-01'), 'ewgsop2') AS from_omop;

-- Cohorts: a cohort of another tool and an older sarx run stay untouched.
INSERT INTO results.cohort VALUES (5, 1, '2024-01-01', '2024-12-31'), (1900000104, 3, '2023-06-01', '2023-06-01');
SELECT * FROM sarx_omop_write_cohorts('2024-06-01');
SELECT c.cohort_definition_id, d.definition, d.category, c.subject_id, c.cohort_start_date, c.cohort_end_date
FROM results.cohort c LEFT JOIN sarx_omop_cohort_definition d USING (cohort_definition_id)
WHERE c.subject_id IN (1, 2) AND d.definition IN ('ewgsop2', 'fearon2011', 'glim2019', 'sarc_f')
ORDER BY c.subject_id, c.cohort_definition_id;
SELECT cohort_start_date, count(*) AS rows, count(DISTINCT subject_id) AS persons
FROM results.cohort GROUP BY cohort_start_date ORDER BY cohort_start_date;
-- each decided (person, definition) is one row; persons 3 (no data) and 5 (invalid) have none at 2024-06-01
SELECT subject_id, count(*) FROM results.cohort WHERE cohort_start_date = '2024-06-01' GROUP BY subject_id ORDER BY subject_id;

-- Idempotent: the same index date again gives the same rows.
CREATE TEMP TABLE before AS SELECT * FROM results.cohort;
SELECT sum(persons) AS rows_written FROM sarx_omop_write_cohorts('2024-06-01') WHERE cohort_definition_id IS NOT NULL;
SELECT (SELECT count(*) FROM results.cohort) AS rows,
       (SELECT count(*) FROM (SELECT * FROM results.cohort EXCEPT ALL SELECT * FROM before) x) AS added,
       (SELECT count(*) FROM (SELECT * FROM before EXCEPT ALL SELECT * FROM results.cohort) x) AS removed;

-- A unit the mapping does not know is an error naming the row, never a conversion.
SELECT * FROM sarx_omop_subjects('2025-06-01');
SELECT sarx_omop_subject(4, '2025-06-01');
SELECT * FROM sarx_omop_write_cohorts('2025-06-01');
SELECT count(*) AS rows_after_error FROM results.cohort;
-- no unit at all is no unit the mapping knows for a weight either
UPDATE cdm.measurement SET unit_concept_id = NULL WHERE measurement_id = 401;
SELECT sarx_omop_subject(4, '2025-06-01');
-- the corrected row is read
UPDATE cdm.measurement SET unit_concept_id = 9529 WHERE measurement_id = 401;
SELECT sarx_omop_subject(4, '2025-06-01');
-- a site adds the unit it uses (kept by pg_dump: shipped = false) ...
INSERT INTO sarx_omop_concept (concept_id, unit_concept_id, sarx_field, factor, concept_name, unit_name, source)
VALUES (2000500001, 8739, 'grip_kg', 0.45359237, 'sarx local: hand-grip strength', 'pound (US)', 'site A');
SELECT count(*) AS user_rows FROM sarx_omop_concept WHERE NOT shipped;
-- ... but only a canonical field, in its canonical unit
INSERT INTO sarx_omop_concept (concept_id, unit_concept_id, sarx_field, concept_name, source)
VALUES (3025315, 8582, 'weight_lb', 'Body weight', 'site A');
INSERT INTO sarx_omop_concept (concept_id, unit_concept_id, sarx_field, factor, concept_name, unit_name, source)
VALUES (3036277, 8588, 'height_cm', 0.1, 'Body height', 'millimeter', 'site A');
SELECT concept_id, unit_concept_id, sarx_field, factor, local, shipped FROM sarx_omop_concept WHERE NOT shipped
ORDER BY concept_id, unit_concept_id;

-- Arguments.
SELECT * FROM sarx_omop_subjects('2024-06-01', 0);
SELECT * FROM sarx_omop_subjects('2024-06-01', age_rule => 'ohdsi');
SELECT * FROM sarx_omop_subjects('2024-06-01', cdm_schema => 'nowhere');
SELECT * FROM sarx_omop_subjects('2024-06-01', vocabulary_schema => 'nowhere');
SELECT * FROM sarx_omop_write_cohorts('2024-06-01', results_schema => 'nowhere');

DROP SCHEMA cdm CASCADE;
DROP SCHEMA results CASCADE;
DELETE FROM sarx_omop_concept WHERE NOT shipped;
