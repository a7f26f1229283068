-- sarx_omop.sql: OMOP CDM 5.4 support of the sarx extension (docs/OMOP.md).
--
-- Appended to the extension's install script: it runs inside CREATE
-- EXTENSION sarx, after the enum sarx_definition and the C functions exist.
-- Everything here is set-based SQL over the CDM tables; the classification
-- itself is the library's (sarx_category, sarx_check): nothing here reads a
-- threshold, a rule or a category.

-- ---------------------------------------------------------------------
-- The mapping: OMOP measurement concept + unit concept -> sarx field.
-- ---------------------------------------------------------------------

CREATE TABLE sarx_omop_concept (
    concept_id      integer NOT NULL,   -- measurement concept (standard, or local > 2,000,000,000)
    unit_concept_id integer,            -- UCUM unit concept; NULL: the value is recorded without a unit
    sarx_field      text    NOT NULL,   -- a field of `sarx fields` (its canonical unit)
    factor          float8  NOT NULL DEFAULT 1,  -- sarx value = value_as_number * factor + addend
    addend          float8  NOT NULL DEFAULT 0,
    sets            jsonb,              -- further fields this measurement states, e.g. {"asm_method": "bia"}
    local           boolean GENERATED ALWAYS AS (concept_id > 2000000000) STORED,  -- a local concept
    concept_name    text    NOT NULL,
    unit_name       text,
    source          text    NOT NULL,   -- where the ids were verified, or what a local concept means
    shipped         boolean NOT NULL DEFAULT false,  -- a row of this script (user rows: false)
    CONSTRAINT sarx_omop_concept_factor CHECK (factor > 0 AND factor < 'infinity'),
    CONSTRAINT sarx_omop_concept_sets CHECK (sets IS NULL OR jsonb_typeof(sets) = 'object')
);
CREATE UNIQUE INDEX sarx_omop_concept_key ON sarx_omop_concept (concept_id, coalesce(unit_concept_id, -1));

COMMENT ON TABLE sarx_omop_concept IS
    'OMOP measurement concept and unit concept -> sarx field and conversion (docs/OMOP.md). '
    'Add rows for your site (shipped = false); pg_dump keeps them.';

-- Users add their own rows (a site's standard concepts, another unit):
-- pg_dump keeps those, and the shipped rows come back with the extension.
SELECT pg_catalog.pg_extension_config_dump('sarx_omop_concept', 'WHERE NOT shipped');

-- A row's field must be a canonical field of the library (not an alternate
-- spelling such as weight_lb: the factor converts to the canonical unit).
CREATE FUNCTION sarx_omop__check_field() RETURNS trigger
LANGUAGE plpgsql SET search_path = @extschema@, pg_catalog, pg_temp AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM sarx_fields() f
                   WHERE f.name = NEW.sarx_field AND f.canonical = f.name AND f.kind IN ('number', 'integer')) THEN
        RAISE EXCEPTION 'sarx_omop_concept: sarx_field "%" is not a numeric sarx field in its canonical unit', NEW.sarx_field
            USING ERRCODE = 'invalid_parameter_value',
                  HINT = 'see `sarx fields`; convert alternate units (lb, in, g/L, ...) with factor';
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER sarx_omop_concept_field BEFORE INSERT OR UPDATE ON sarx_omop_concept
    FOR EACH ROW EXECUTE FUNCTION sarx_omop__check_field();

-- The shipped rows.  Standard concepts: ids verified in OHDSI sources (see
-- the source column and docs/OMOP.md).  Factors are exact unit definitions,
-- the same constants as the library's alternate units (src/fields.c).
INSERT INTO sarx_omop_concept
    (concept_id, unit_concept_id, sarx_field, factor, sets, concept_name, unit_name, source, shipped)
VALUES
    -- Body weight (LOINC 29463-7) and Body weight Measured (LOINC 3141-9)
    (3025315, 9529, 'weight_kg', 1, NULL, 'Body weight (LOINC 29463-7)', 'kilogram', 'DQD+PL+EU', true),
    (3025315, 8739, 'weight_kg', 0.45359237, NULL, 'Body weight (LOINC 29463-7)', 'pound (US)', 'DQD+PL+EU', true),
    (3025315, 9346, 'weight_kg', 0.45359237, NULL, 'Body weight (LOINC 29463-7)', 'pound force (avoirdupois)', 'DQD+EU', true),
    (3025315, 9373, 'weight_kg', 0.028349523125, NULL, 'Body weight (LOINC 29463-7)', 'ounce (avoirdupois)', 'DQD+EU', true),
    (3013762, 9529, 'weight_kg', 1, NULL, 'Body weight Measured (LOINC 3141-9)', 'kilogram', 'PL', true),
    (3013762, 8739, 'weight_kg', 0.45359237, NULL, 'Body weight Measured (LOINC 3141-9)', 'pound (US)', 'PL', true),
    -- Body height (LOINC 8302-2)
    (3036277, 8582, 'height_cm', 1, NULL, 'Body height (LOINC 8302-2)', 'centimeter', 'DQD+EU', true),
    (3036277, 9546, 'height_cm', 100, NULL, 'Body height (LOINC 8302-2)', 'meter', 'DQD+EU', true),
    (3036277, 9327, 'height_cm', 2.54, NULL, 'Body height (LOINC 8302-2)', 'inch (international)', 'DQD+EU', true),
    (3036277, 9330, 'height_cm', 10000::float8 / 3937, NULL, 'Body height (LOINC 8302-2)', 'inch (US survey)', 'DQD+EU', true),
    -- Hemoglobin [Mass/volume] in Blood (LOINC 718-7)
    (3000963, 8713, 'hemoglobin_g_dl', 1, NULL, 'Hemoglobin [Mass/volume] in Blood (LOINC 718-7)', 'gram per deciliter', 'DQD+PL+EU', true),
    (3000963, 8636, 'hemoglobin_g_dl', 0.1, NULL, 'Hemoglobin [Mass/volume] in Blood (LOINC 718-7)', 'gram per liter', 'DQD+EU', true),
    -- C reactive protein [Mass/volume] in Serum or Plasma (LOINC 1988-5)
    (3020460, 8751, 'crp_mg_l', 1, NULL, 'C reactive protein [Mass/volume] in Serum or Plasma (LOINC 1988-5)', 'milligram per liter', 'DQD+EU', true),
    (3020460, 8840, 'crp_mg_l', 10, NULL, 'C reactive protein [Mass/volume] in Serum or Plasma (LOINC 1988-5)', 'milligram per deciliter', 'DQD+EU', true),
    -- Interleukin 6 [Mass/volume] in Serum or Plasma (LOINC 26881-3)
    (3023091, 8845, 'il6_pg_ml', 1, NULL, 'Interleukin 6 [Mass/volume] in Serum or Plasma (LOINC 26881-3)', 'picogram per milliliter', 'EU', true),
    -- Albumin [Mass/volume] in Serum or Plasma (LOINC 1751-7)
    (3024561, 8713, 'albumin_g_dl', 1, NULL, 'Albumin [Mass/volume] in Serum or Plasma (LOINC 1751-7)', 'gram per deciliter', 'DQD+EU', true),
    (3024561, 8636, 'albumin_g_dl', 0.1, NULL, 'Albumin [Mass/volume] in Serum or Plasma (LOINC 1751-7)', 'gram per liter', 'DQD+EU', true),
    -- Testosterone [Mass/volume] in Serum or Plasma
    (3008893, 8817, 'testosterone_ng_dl', 1, NULL, 'Testosterone [Mass/volume] in Serum or Plasma', 'nanogram per deciliter', 'DQD+EU', true),
    (3008893, 8842, 'testosterone_ng_dl', 100, NULL, 'Testosterone [Mass/volume] in Serum or Plasma', 'nanogram per milliliter', 'DQD+EU', true),
    (3008893, 8736, 'testosterone_ng_dl', 28.842, NULL, 'Testosterone [Mass/volume] in Serum or Plasma', 'nanomole per liter', 'DQD, unit EU', true),
    -- Potassium [Moles/volume] in Serum or Plasma (LOINC 2823-3)
    (3023103, 8753, 'potassium_mmol_l', 1, NULL, 'Potassium [Moles/volume] in Serum or Plasma (LOINC 2823-3)', 'millimole per liter', 'DQD+EU', true),
    (3023103, 9557, 'potassium_mmol_l', 1, NULL, 'Potassium [Moles/volume] in Serum or Plasma (LOINC 2823-3)', 'milliequivalent per liter', 'DQD+EU', true),
    -- Phosphate [Mass/volume] in Serum or Plasma (mg/dL as phosphorus, 30.973762 g/mol)
    (3011904, 8840, 'phosphate_mmol_l', 10::float8 / 30.973762, NULL, 'Phosphate [Mass/volume] in Serum or Plasma', 'milligram per deciliter', 'DQD+EU', true),
    -- Magnesium [Mass/volume] in Serum or Plasma (LOINC 19123-9; 24.305 g/mol)
    (3001420, 8840, 'magnesium_mmol_l', 10::float8 / 24.305, NULL, 'Magnesium [Mass/volume] in Serum or Plasma (LOINC 19123-9)', 'milligram per deciliter', 'DQD+EU', true),
    -- eGFR/1.73 m2 by creatinine (the concept is per 1.73 m2 whatever the unit's name)
    (40764999, 720870, 'egfr_ml_min_1_73m2', 1, NULL, 'Glomerular filtration rate/1.73 sq M.predicted, creatinine, CKD-EPI', 'milliliter per minute per 1.73 square meter', 'DQD+EU', true),
    (40764999, 8795, 'egfr_ml_min_1_73m2', 1, NULL, 'Glomerular filtration rate/1.73 sq M.predicted, creatinine, CKD-EPI', 'milliliter per minute', 'DQD+EU', true),
    (1619025, 720870, 'egfr_ml_min_1_73m2', 1, NULL, 'Glomerular filtration rate/1.73 sq M.predicted, creatinine, CKD-EPI 2021', 'milliliter per minute per 1.73 square meter', 'DQD+EU', true),
    (1619025, 8795, 'egfr_ml_min_1_73m2', 1, NULL, 'Glomerular filtration rate/1.73 sq M.predicted, creatinine, CKD-EPI 2021', 'milliliter per minute', 'DQD+EU', true),
    (46236952, 720870, 'egfr_ml_min_1_73m2', 1, NULL, 'Glomerular filtration rate/1.73 sq M.predicted, creatinine, MDRD', 'milliliter per minute per 1.73 square meter', 'DQD+EU', true),
    (46236952, 8795, 'egfr_ml_min_1_73m2', 1, NULL, 'Glomerular filtration rate/1.73 sq M.predicted, creatinine, MDRD', 'milliliter per minute', 'DQD+EU', true);

-- Local concepts (OHDSI convention: > 2,000,000,000, for measures without a
-- verified standard concept).  They are matched in measurement_concept_id,
-- or in measurement_source_concept_id when measurement_concept_id is 0.
INSERT INTO sarx_omop_concept
    (concept_id, unit_concept_id, sarx_field, factor, sets, concept_name, unit_name, source, shipped)
VALUES
    (2000500001, 9529, 'grip_kg', 1, NULL, 'sarx local: hand-grip strength, best of all trials of both hands', 'kilogram', 'local; unit EU', true),
    (2000500001, 9346, 'grip_kg', 0.45359237, NULL, 'sarx local: hand-grip strength, best of all trials of both hands', 'pound force (avoirdupois)', 'local; unit EU', true),
    (2000500002, 44777606, 'gait_speed_m_s', 1, NULL, 'sarx local: usual gait speed', 'meter per second', 'local; unit EU', true),
    (2000500002, 32738, 'gait_speed_m_s', 0.01, NULL, 'sarx local: usual gait speed', 'centimeter per second', 'local; unit EU', true),
    (2000500003, 8555, 'chair_stand_5x_s', 1, NULL, 'sarx local: time for five chair rises', 'second', 'local; unit EU', true),
    (2000500004, NULL, 'sppb_score', 1, NULL, 'sarx local: Short Physical Performance Battery total score (0-12)', NULL, 'local', true),
    (2000500005, 8555, 'tug_s', 1, NULL, 'sarx local: Timed Up and Go', 'second', 'local; unit EU', true),
    (2000500006, 8555, 'walk_400m_s', 1, NULL, 'sarx local: 400 m walk time', 'second', 'local; unit EU', true),
    (2000500006, 8550, 'walk_400m_s', 60, NULL, 'sarx local: 400 m walk time', 'minute', 'local; unit EU', true),
    (2000500007, 9529, 'asm_kg', 1, '{"asm_method": "dxa"}', 'sarx local: appendicular lean mass by DXA', 'kilogram', 'local; unit EU', true),
    (2000500008, 9529, 'asm_kg', 1, '{"asm_method": "bia"}', 'sarx local: appendicular skeletal muscle mass by BIA', 'kilogram', 'local; unit EU', true),
    (2000500009, 9529, 'smm_kg', 1, NULL, 'sarx local: whole-body skeletal muscle mass', 'kilogram', 'local; unit EU', true),
    (2000500010, 9529, 'ffm_kg', 1, NULL, 'sarx local: fat-free mass', 'kilogram', 'local; unit EU', true),
    (2000500011, 9618, 'bia_resistance_ohm', 1, NULL, 'sarx local: BIA resistance at 50 kHz', 'ohm', 'local; unit EU', true),
    (2000500012, 9618, 'bia_reactance_ohm', 1, NULL, 'sarx local: BIA reactance at 50 kHz', 'ohm', 'local; unit EU', true),
    (2000500013, 8582, 'calf_circumference_cm', 1, NULL, 'sarx local: calf circumference', 'centimeter', 'local; unit EU', true),
    (2000500013, 8588, 'calf_circumference_cm', 0.1, NULL, 'sarx local: calf circumference', 'millimeter', 'local; unit EU', true),
    (2000500014, 8582, 'mid_arm_circumference_cm', 1, NULL, 'sarx local: mid-upper-arm circumference', 'centimeter', 'local; unit EU', true),
    (2000500014, 8588, 'mid_arm_circumference_cm', 0.1, NULL, 'sarx local: mid-upper-arm circumference', 'millimeter', 'local; unit EU', true),
    (2000500015, 8588, 'triceps_skinfold_mm', 1, NULL, 'sarx local: triceps skinfold', 'millimeter', 'local; unit EU', true),
    (2000500015, 8582, 'triceps_skinfold_mm', 10, NULL, 'sarx local: triceps skinfold', 'centimeter', 'local; unit EU', true),
    (2000500016, NULL, 'sarc_f', 1, NULL, 'sarx local: SARC-F total score (0-10)', NULL, 'local', true),
    (2000500017, NULL, 'ecog', 1, NULL, 'sarx local: ECOG / WHO performance status (0-4)', NULL, 'local', true),
    (2000500018, 8554, 'fat_mass_pct', 1, NULL, 'sarx local: body fat percentage', 'percent', 'local; unit EU', true),
    (2000500019, 9529, 'fat_mass_kg', 1, NULL, 'sarx local: fat mass', 'kilogram', 'local; unit EU', true),
    (2000500020, 8582, 'waist_cm', 1, NULL, 'sarx local: waist circumference', 'centimeter', 'local; unit EU', true);

-- ---------------------------------------------------------------------
-- Cohort ids: one OMOP cohort per definition and category.  Assigned once
-- and never changed: a new definition or category gets a new row (docs/
-- OMOP.md, "Cohort ids").  The test checks that this covers every
-- definition and category of the library.
-- ---------------------------------------------------------------------

CREATE TABLE sarx_omop_cohort_definition (
    cohort_definition_id integer PRIMARY KEY,
    definition           sarx_definition NOT NULL,
    category             text NOT NULL,
    cohort_name          text NOT NULL,
    UNIQUE (definition, category)
);

INSERT INTO sarx_omop_cohort_definition (cohort_definition_id, definition, category, cohort_name) VALUES
    (1900000101, 'ewgsop2', 'severe_sarcopenia', 'sarx EWGSOP2 (2019): severe_sarcopenia'),
    (1900000102, 'ewgsop2', 'sarcopenia', 'sarx EWGSOP2 (2019): sarcopenia'),
    (1900000103, 'ewgsop2', 'probable_sarcopenia', 'sarx EWGSOP2 (2019): probable_sarcopenia'),
    (1900000104, 'ewgsop2', 'no_sarcopenia', 'sarx EWGSOP2 (2019): no_sarcopenia'),
    (1900000201, 'ewgsop1', 'severe_sarcopenia', 'sarx EWGSOP (2010): severe_sarcopenia'),
    (1900000202, 'ewgsop1', 'sarcopenia', 'sarx EWGSOP (2010): sarcopenia'),
    (1900000203, 'ewgsop1', 'presarcopenia', 'sarx EWGSOP (2010): presarcopenia'),
    (1900000204, 'ewgsop1', 'no_sarcopenia', 'sarx EWGSOP (2010): no_sarcopenia'),
    (1900000301, 'awgs2019', 'severe_sarcopenia', 'sarx AWGS 2019: severe_sarcopenia'),
    (1900000302, 'awgs2019', 'sarcopenia', 'sarx AWGS 2019: sarcopenia'),
    (1900000303, 'awgs2019', 'possible_sarcopenia', 'sarx AWGS 2019: possible_sarcopenia'),
    (1900000304, 'awgs2019', 'no_sarcopenia', 'sarx AWGS 2019: no_sarcopenia'),
    (1900000401, 'awgs2025', 'sarcopenia', 'sarx AWGS 2025: sarcopenia'),
    (1900000402, 'awgs2025', 'possible_sarcopenia', 'sarx AWGS 2025: possible_sarcopenia'),
    (1900000403, 'awgs2025', 'at_risk', 'sarx AWGS 2025: at_risk'),
    (1900000404, 'awgs2025', 'no_sarcopenia', 'sarx AWGS 2025: no_sarcopenia'),
    (1900000405, 'awgs2025', 'not_applicable', 'sarx AWGS 2025: not_applicable'),
    (1900000501, 'fnih2014', 'weakness_slowness_low_lean_mass', 'sarx FNIH Sarcopenia Project (2014): weakness_slowness_low_lean_mass'),
    (1900000502, 'fnih2014', 'weakness_low_lean_mass', 'sarx FNIH Sarcopenia Project (2014): weakness_low_lean_mass'),
    (1900000503, 'fnih2014', 'no_sarcopenia', 'sarx FNIH Sarcopenia Project (2014): no_sarcopenia'),
    (1900000601, 'iwgs2011', 'sarcopenia', 'sarx IWGS (2011): sarcopenia'),
    (1900000602, 'iwgs2011', 'no_sarcopenia', 'sarx IWGS (2011): no_sarcopenia'),
    (1900000701, 'sdoc2020', 'sarcopenia', 'sarx SDOC (2020): sarcopenia'),
    (1900000702, 'sdoc2020', 'no_sarcopenia', 'sarx SDOC (2020): no_sarcopenia'),
    (1900000801, 'baumgartner1998', 'sarcopenia', 'sarx Baumgartner (1998): sarcopenia'),
    (1900000802, 'baumgartner1998', 'no_sarcopenia', 'sarx Baumgartner (1998): no_sarcopenia'),
    (1900000901, 'janssen2004', 'severe_sarcopenia', 'sarx Janssen (2004): severe_sarcopenia'),
    (1900000902, 'janssen2004', 'moderate_sarcopenia', 'sarx Janssen (2004): moderate_sarcopenia'),
    (1900000903, 'janssen2004', 'no_sarcopenia', 'sarx Janssen (2004): no_sarcopenia'),
    (1900000904, 'janssen2004', 'not_applicable', 'sarx Janssen (2004): not_applicable'),
    (1900001001, 'dynapenia', 'sarcopenia', 'sarx Dynapenia / sarcopenia matrix: sarcopenia'),
    (1900001002, 'dynapenia', 'dynapenia', 'sarx Dynapenia / sarcopenia matrix: dynapenia'),
    (1900001003, 'dynapenia', 'myopenia', 'sarx Dynapenia / sarcopenia matrix: myopenia'),
    (1900001004, 'dynapenia', 'normal', 'sarx Dynapenia / sarcopenia matrix: normal'),
    (1900001101, 'sarc_f', 'positive', 'sarx SARC-F screen: positive'),
    (1900001102, 'sarc_f', 'negative', 'sarx SARC-F screen: negative'),
    (1900001201, 'sarc_calf', 'positive', 'sarx SARC-CalF screen: positive'),
    (1900001202, 'sarc_calf', 'negative', 'sarx SARC-CalF screen: negative'),
    (1900001301, 'evans2008', 'cachexia', 'sarx Evans et al. cachexia (2008): cachexia'),
    (1900001302, 'evans2008', 'no_cachexia', 'sarx Evans et al. cachexia (2008): no_cachexia'),
    (1900001401, 'evans2008_7', 'cachexia', 'sarx Evans et al. cachexia (2008), 3 of 7: cachexia'),
    (1900001402, 'evans2008_7', 'no_cachexia', 'sarx Evans et al. cachexia (2008), 3 of 7: no_cachexia'),
    (1900001501, 'fearon2011', 'refractory_cachexia', 'sarx Fearon cancer cachexia (2011): refractory_cachexia'),
    (1900001502, 'fearon2011', 'cachexia', 'sarx Fearon cancer cachexia (2011): cachexia'),
    (1900001503, 'fearon2011', 'precachexia', 'sarx Fearon cancer cachexia (2011): precachexia'),
    (1900001504, 'fearon2011', 'no_cachexia', 'sarx Fearon cancer cachexia (2011): no_cachexia'),
    (1900001505, 'fearon2011', 'not_applicable', 'sarx Fearon cancer cachexia (2011): not_applicable'),
    (1900001601, 'glim2019', 'malnutrition_severe', 'sarx GLIM (2019): malnutrition_severe'),
    (1900001602, 'glim2019', 'malnutrition_severity_not_graded', 'sarx GLIM (2019): malnutrition_severity_not_graded'),
    (1900001603, 'glim2019', 'malnutrition_moderate', 'sarx GLIM (2019): malnutrition_moderate'),
    (1900001604, 'glim2019', 'no_malnutrition', 'sarx GLIM (2019): no_malnutrition'),
    (1900001701, 'espen_easo2022', 'sarcopenic_obesity_stage_2', 'sarx ESPEN/EASO sarcopenic obesity (2022): sarcopenic_obesity_stage_2'),
    (1900001702, 'espen_easo2022', 'sarcopenic_obesity_stage_1', 'sarx ESPEN/EASO sarcopenic obesity (2022): sarcopenic_obesity_stage_1'),
    (1900001703, 'espen_easo2022', 'sarcopenic_obesity', 'sarx ESPEN/EASO sarcopenic obesity (2022): sarcopenic_obesity'),
    (1900001704, 'espen_easo2022', 'no_sarcopenic_obesity', 'sarx ESPEN/EASO sarcopenic obesity (2022): no_sarcopenic_obesity'),
    (1900001705, 'espen_easo2022', 'screen_positive', 'sarx ESPEN/EASO sarcopenic obesity (2022): screen_positive'),
    (1900001706, 'espen_easo2022', 'screen_negative', 'sarx ESPEN/EASO sarcopenic obesity (2022): screen_negative');

COMMENT ON TABLE sarx_omop_cohort_definition IS
    'OMOP cohort_definition_id of each sarx definition and category (stable across versions; docs/OMOP.md)';

-- ---------------------------------------------------------------------
-- Subjects.
-- ---------------------------------------------------------------------

-- The form of an ICD-10 code the library reads (sarx__icd10_valid): a
-- letter, a digit, a digit or letter, then optionally a dot and 1-4 letters
-- or digits.
CREATE FUNCTION sarx_omop__icd10(code text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN CASE WHEN upper(btrim(code)) ~ '^[A-Z][0-9][0-9A-Z](\.?[0-9A-Z]{1,4})?$' THEN upper(btrim(code)) END;

-- Completed years at the index date, or NULL when the birth date does not
-- decide them (docs/OMOP.md, "Age").  rule 'exact': only a certain age;
-- 'year_difference': year(index) - year_of_birth when the birth date is
-- incomplete (the convention of OHDSI's tools), the completed years when
-- it is complete.
CREATE FUNCTION sarx_omop__age(index_date date, birth timestamp, y integer, m integer, d integer, rule text)
RETURNS integer
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN CASE
    WHEN birth IS NOT NULL THEN date_part('year', age(index_date, birth::date))::integer
    WHEN y IS NULL OR y < 1 OR m < 1 OR m > 12 THEN NULL
    WHEN m IS NOT NULL AND d IS NOT NULL
         AND d BETWEEN 1 AND date_part('day', make_date(y, m, 1) + interval '1 month' - interval '1 day')
        THEN date_part('year', age(index_date, make_date(y, m, d)))::integer
    WHEN rule = 'year_difference' THEN date_part('year', index_date)::integer - y
    -- the earliest and the latest possible birthday give the same age
    WHEN date_part('year', age(index_date, make_date(y, coalesce(m, 1), 1)))
       = date_part('year', age(index_date, (make_date(y, coalesce(m, 12), 1) + interval '1 month' - interval '1 day')::date))
        THEN date_part('year', age(index_date, make_date(y, coalesce(m, 1), 1)))::integer
END;

-- The message of a mapped measurement whose unit the mapping does not know.
CREATE FUNCTION sarx_omop__check_units(cdm_schema name, index_date date, window_days integer, only_person bigint)
RETURNS void
LANGUAGE plpgsql STABLE SET search_path = @extschema@, pg_catalog, pg_temp AS $$
DECLARE
    r record;
BEGIN
    EXECUTE format($q$
        SELECT m.person_id, m.measurement_id, k.concept_id, m.unit_concept_id
        FROM %1$I.measurement m
        JOIN (SELECT DISTINCT concept_id FROM sarx_omop_concept) k
          ON k.concept_id = CASE WHEN m.measurement_concept_id <> 0 THEN m.measurement_concept_id
                                 WHEN m.measurement_source_concept_id > 2000000000 THEN m.measurement_source_concept_id END
        WHERE m.measurement_date > $1 - $2 AND m.measurement_date <= $1
          AND m.value_as_number IS NOT NULL
          AND ($3 IS NULL OR m.person_id = $3)
          AND NOT EXISTS (SELECT 1 FROM sarx_omop_concept c
                          WHERE c.concept_id = k.concept_id
                            AND c.unit_concept_id IS NOT DISTINCT FROM m.unit_concept_id)
        ORDER BY m.person_id, m.measurement_id
        LIMIT 1 $q$, cdm_schema)
    INTO r USING index_date, window_days, only_person;
    IF r.person_id IS NOT NULL THEN
        RAISE EXCEPTION 'sarx_omop: measurement_id % (person_id %, concept_id %): unit_concept_id % is not a unit of this concept in sarx_omop_concept (allowed %)',
            r.measurement_id, r.person_id, r.concept_id, coalesce(r.unit_concept_id::text, 'NULL'),
            (SELECT string_agg(coalesce(c.unit_concept_id::text || ' ' || c.unit_name, 'NULL (no unit)'), ', '
                               ORDER BY c.unit_concept_id NULLS FIRST)
             FROM sarx_omop_concept c WHERE c.concept_id = r.concept_id)
            USING ERRCODE = 'invalid_parameter_value',
                  HINT = 'a unit sarx does not know is never converted: fix the row, or add the unit and its factor to sarx_omop_concept';
    END IF;
END
$$;

-- Subjects of every person (only_person NULL) or one.
CREATE FUNCTION sarx_omop__subjects(index_date date, window_days integer, cdm_schema name,
                                    vocabulary_schema name, age_rule text, only_person bigint)
RETURNS TABLE (person_id bigint, subject jsonb)
LANGUAGE plpgsql STABLE SET search_path = @extschema@, pg_catalog, pg_temp AS $$
DECLARE
    vs name := coalesce(vocabulary_schema, cdm_schema);
BEGIN
    IF index_date IS NULL THEN
        RAISE EXCEPTION 'sarx_omop: index_date is NULL' USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF window_days IS NULL OR window_days < 1 THEN
        RAISE EXCEPTION 'sarx_omop: window_days % is out of range (allowed 1 or more days)', coalesce(window_days::text, 'NULL')
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF age_rule IS NULL OR age_rule NOT IN ('exact', 'year_difference') THEN
        RAISE EXCEPTION 'sarx_omop: age_rule "%" is not allowed (allowed exact, year_difference)', age_rule
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF to_regclass(format('%I.person', cdm_schema)) IS NULL THEN
        RAISE EXCEPTION 'sarx_omop: no table "%".person (cdm_schema)', cdm_schema USING ERRCODE = 'undefined_table';
    END IF;
    IF to_regclass(format('%I.concept', vs)) IS NULL THEN
        RAISE EXCEPTION 'sarx_omop: no table "%".concept: conditions are read through the OMOP vocabulary (vocabulary_schema)', vs
            USING ERRCODE = 'undefined_table';
    END IF;
    PERFORM sarx_omop__check_units(cdm_schema, index_date, window_days, only_person);
    RETURN QUERY EXECUTE format($q$
        WITH p AS (
            SELECT p.person_id::bigint AS person_id,
                   CASE p.gender_concept_id WHEN 8507 THEN 'male' WHEN 8532 THEN 'female' END AS sex,
                   sarx_omop__age($1, p.birth_datetime, p.year_of_birth, p.month_of_birth, p.day_of_birth, $3) AS age
            FROM %1$I.person p
            WHERE $4 IS NULL OR p.person_id = $4
        ), mv AS (    -- mapped measurements in the window, converted
            SELECT m.person_id, m.measurement_id, m.measurement_date, m.measurement_datetime,
                   c.sarx_field, c.sets, m.value_as_number::float8 * c.factor + c.addend AS v
            FROM %1$I.measurement m
            JOIN sarx_omop_concept c
              ON c.concept_id = CASE WHEN m.measurement_concept_id <> 0 THEN m.measurement_concept_id
                                     WHEN m.measurement_source_concept_id > 2000000000 THEN m.measurement_source_concept_id END
             AND c.unit_concept_id IS NOT DISTINCT FROM m.unit_concept_id
            WHERE m.measurement_date > $1 - $2 AND m.measurement_date <= $1
              AND m.value_as_number IS NOT NULL
              AND ($4 IS NULL OR m.person_id = $4)
        ), latest AS (    -- the latest value of each field
            SELECT DISTINCT ON (mv.person_id, mv.sarx_field) mv.person_id, mv.sarx_field, mv.v, mv.sets
            FROM mv
            ORDER BY mv.person_id, mv.sarx_field, mv.measurement_date DESC,
                     mv.measurement_datetime DESC NULLS LAST, mv.measurement_id DESC
        ), kv AS (
            SELECT l.person_id, l.sarx_field AS k, to_jsonb(l.v) AS val FROM latest l
            UNION ALL
            SELECT l.person_id, e.key, e.value FROM latest l, jsonb_each(l.sets) e
        ), meas AS (
            SELECT kv.person_id, jsonb_object_agg(kv.k, kv.val) AS o FROM kv GROUP BY kv.person_id
        ), wh AS (    -- every body weight in the window, one per date (the day's latest)
            SELECT w.person_id,
                   jsonb_agg(jsonb_build_object('date', to_char(w.measurement_date, 'YYYY-MM-DD'), 'weight_kg', w.v)
                             ORDER BY w.measurement_date) AS h
            FROM (SELECT DISTINCT ON (mv.person_id, mv.measurement_date) mv.person_id, mv.measurement_date, mv.v
                  FROM mv WHERE mv.sarx_field = 'weight_kg'
                  ORDER BY mv.person_id, mv.measurement_date, mv.measurement_datetime DESC NULLS LAST,
                           mv.measurement_id DESC) w
            GROUP BY w.person_id
        ), ci AS (    -- conditions active at the index date: ICD-10(-CM) source code, else the concept's name
            SELECT DISTINCT co.person_id::bigint AS person_id,
                   CASE WHEN sarx_omop__icd10(sc.concept_code) IS NOT NULL
                        THEN jsonb_build_object('system', 'icd10', 'code', sarx_omop__icd10(sc.concept_code))
                        ELSE to_jsonb(stc.concept_name) END AS item
            FROM %1$I.condition_occurrence co
            LEFT JOIN %2$I.concept sc
              ON sc.concept_id = co.condition_source_concept_id AND sc.vocabulary_id IN ('ICD10CM', 'ICD10')
            LEFT JOIN %2$I.concept stc
              ON stc.concept_id = co.condition_concept_id AND co.condition_concept_id <> 0
            WHERE co.condition_start_date <= $1
              AND (co.condition_end_date IS NULL OR co.condition_end_date >= $1)
              AND ($4 IS NULL OR co.person_id = $4)
        ), cond AS (
            SELECT ci.person_id, jsonb_agg(ci.item ORDER BY ci.item::text) AS l
            FROM ci WHERE ci.item IS NOT NULL AND ci.item <> '""'::jsonb
            GROUP BY ci.person_id
        )
        SELECT p.person_id,
               jsonb_strip_nulls(jsonb_build_object('id', p.person_id::text, 'assessment_date', to_char($1, 'YYYY-MM-DD'),
                                                    'sex', p.sex, 'age_years', p.age,
                                                    'weight_history', wh.h, 'conditions', cond.l))
               || coalesce(meas.o, '{}'::jsonb)
        FROM p
        LEFT JOIN meas ON meas.person_id = p.person_id
        LEFT JOIN wh ON wh.person_id = p.person_id
        LEFT JOIN cond ON cond.person_id = p.person_id
        ORDER BY p.person_id $q$, cdm_schema, vs)
    USING index_date, window_days, age_rule, only_person;
END
$$;

-- One subject (jsonb, the fields of `sarx fields`) per person at index_date.
CREATE FUNCTION sarx_omop_subjects(index_date date, window_days integer DEFAULT 365, cdm_schema name DEFAULT 'cdm',
                                   vocabulary_schema name DEFAULT NULL, age_rule text DEFAULT 'exact')
RETURNS TABLE (person_id bigint, subject jsonb)
LANGUAGE sql STABLE
BEGIN ATOMIC
    SELECT s.person_id, s.subject
    FROM sarx_omop__subjects(index_date, window_days, cdm_schema, vocabulary_schema, age_rule, NULL) s;
END;

-- The subject of one person (NULL when person_id is not in person).
CREATE FUNCTION sarx_omop_subject(person_id bigint, index_date date, window_days integer DEFAULT 365,
                                  cdm_schema name DEFAULT 'cdm', vocabulary_schema name DEFAULT NULL,
                                  age_rule text DEFAULT 'exact')
RETURNS jsonb
LANGUAGE sql STABLE
BEGIN ATOMIC
    SELECT s.subject
    FROM sarx_omop__subjects(index_date, window_days, cdm_schema, vocabulary_schema, age_rule,
                             sarx_omop_subject.person_id) s
    WHERE sarx_omop_subject.person_id IS NOT NULL;
END;

-- ---------------------------------------------------------------------
-- Cohorts.
-- ---------------------------------------------------------------------

-- Classify every person at index_date under every definition and write the
-- decided categories as rows of results_schema.cohort (cohort_start_date =
-- cohort_end_date = index_date), replacing the rows of the sarx cohorts at
-- that date.  Returns the number of persons per definition and category:
-- "indeterminate" rows are counted but not written (cohort_definition_id
-- NULL), and one row (definition NULL, category "invalid") counts the
-- persons whose subject sarx refuses (sarx_check gives the reason).
CREATE FUNCTION sarx_omop_write_cohorts(index_date date, window_days integer DEFAULT 365,
                                        cdm_schema name DEFAULT 'cdm', results_schema name DEFAULT 'results',
                                        vocabulary_schema name DEFAULT NULL, age_rule text DEFAULT 'exact')
RETURNS TABLE (definition sarx_definition, category text, cohort_definition_id integer, persons bigint)
LANGUAGE plpgsql VOLATILE SET search_path = @extschema@, pg_catalog, pg_temp AS $$
DECLARE
    counts jsonb;
    bad record;
BEGIN
    IF to_regclass(format('%I.cohort', results_schema)) IS NULL THEN
        RAISE EXCEPTION 'sarx_omop: no table "%".cohort (results_schema)', results_schema
            USING ERRCODE = 'undefined_table';
    END IF;
    EXECUTE format($q$
        WITH s AS MATERIALIZED (
            SELECT s.person_id, s.subject, sarx_check(s.subject) AS problem
            FROM sarx_omop__subjects($1, $2, $3, $4, $5, NULL) s
        ), c AS MATERIALIZED (
            SELECT s.person_id, d.def, sarx_category(s.subject, d.def) AS category
            FROM s CROSS JOIN unnest(enum_range(NULL::sarx_definition)) d(def)
            WHERE s.problem IS NULL
        ), del AS (
            DELETE FROM %1$I.cohort
            WHERE cohort_definition_id IN (SELECT cohort_definition_id FROM sarx_omop_cohort_definition)
              AND cohort_start_date = $1
        ), ins AS (
            INSERT INTO %1$I.cohort (cohort_definition_id, subject_id, cohort_start_date, cohort_end_date)
            SELECT cd.cohort_definition_id, c.person_id, $1, $1
            FROM c JOIN sarx_omop_cohort_definition cd ON cd.definition = c.def AND cd.category = c.category
        ), n AS (
            SELECT c.def, c.category, cd.cohort_definition_id, count(*) AS persons
            FROM c LEFT JOIN sarx_omop_cohort_definition cd ON cd.definition = c.def AND cd.category = c.category
            GROUP BY 1, 2, 3
            UNION ALL
            SELECT NULL, 'invalid', NULL, count(*) FROM s WHERE s.problem IS NOT NULL
        )
        SELECT coalesce(jsonb_agg(jsonb_build_object('definition', n.def, 'category', n.category,
                                                     'cohort_definition_id', n.cohort_definition_id,
                                                     'persons', n.persons)
                                  ORDER BY n.def NULLS LAST, n.cohort_definition_id NULLS LAST, n.category), '[]')
        FROM n $q$, results_schema)
    INTO counts USING index_date, window_days, cdm_schema, vocabulary_schema, age_rule;
    SELECT r.definition, r.category INTO bad
    FROM jsonb_to_recordset(counts) AS r(definition text, category text, cohort_definition_id integer, persons bigint)
    WHERE r.definition IS NOT NULL AND r.cohort_definition_id IS NULL AND r.category <> 'indeterminate'
    LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'sarx_omop: definition % gave category "%", which has no row in sarx_omop_cohort_definition',
            bad.definition, bad.category
            USING ERRCODE = 'internal_error', HINT = 'the extension script must list every category of the library';
    END IF;
    RETURN QUERY
        SELECT r.definition::sarx_definition, r.category, r.cohort_definition_id, r.persons
        FROM jsonb_to_recordset(counts) AS r(definition text, category text, cohort_definition_id integer, persons bigint)
        ORDER BY r.definition::sarx_definition NULLS LAST, r.cohort_definition_id NULLS LAST, r.category;
END
$$;
