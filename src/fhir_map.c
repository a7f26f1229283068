/*
** fhir_map.c — the one FHIR mapping table (docs/FHIR.md is generated from
** it: `sarx fields --format fhir-markdown`).
**
** A row: an Observation.code coding (system, code) whose value is in one
** UCUM unit sets one sarx field (canonical or alternate name: the subject
** converts an alternate unit with the library's own alias scale, never a
** factor of this file).  ucum "" is a value without a unit: valueInteger
** (a score), valueBoolean or valueString / valueCodeableConcept (a word).
**
** Reading (src/fhir_in.c) looks a coding up by (system, code) and then
** the unit; a unit without a row for that code is an error.  Writing uses,
** for a field, the first row whose field is that name: the table lists the
** preferred row of a field first (the sarx "grip_kg" row, the best hand,
** comes before the per-hand LOINC rows, which only a reader meets).
**
** Every LOINC row was checked against a primary source (source says
** which); a measure without a verified LOINC code uses sarx's own
** CodeSystem SARX__FHIR_CS with the field name as its code (verified 0).
*/
#include "internal.h"

#define LOINC "http://loinc.org"
#define L(code, display, ucum, field, source) {LOINC, code, display, ucum, field, 1, source}
#define S(field, display, ucum) {SARX__FHIR_CS, field, display, ucum, field, 0, "sarx CodeSystem (no verified LOINC code)"}
/* A local row whose code is a canonical field but whose unit is an
** alternate one: code stays the canonical name, field is the alias. */
#define SA(code, display, ucum, field) {SARX__FHIR_CS, code, display, ucum, field, 0, "sarx CodeSystem (no verified LOINC code)"}

const sarx__fhir_code sarx__fhir_codes[] = {
    /* FHIR R4 Body Weight vital-sign profile (hl7.org/fhir/R4/bodyweight.html)
    ** pins 29463-7 and UCUM kg, g, [lb_av], [oz_av]; sarx reads kg and [lb_av]. */
    L("29463-7", "Body weight", "kg", "weight_kg", "HL7 FHIR R4 Body Weight profile (hl7.org/fhir/R4/bodyweight.html)"),
    L("29463-7", "Body weight", "[lb_av]", "weight_lb", "HL7 FHIR R4 Body Weight profile (hl7.org/fhir/R4/bodyweight.html)"),
    /* FHIR Body Height profile (hl7.org/fhir/R4/bodyheight.html): 8302-2, cm or [in_i]; m is UCUM too. */
    L("8302-2", "Body height", "cm", "height_cm", "HL7 FHIR R4 Body Height profile (hl7.org/fhir/R4/bodyheight.html)"),
    L("8302-2", "Body height", "m", "height_m", "HL7 FHIR R4 Body Height profile (hl7.org/fhir/R4/bodyheight.html)"),
    L("8302-2", "Body height", "[in_i]", "height_in", "HL7 FHIR R4 Body Height profile (hl7.org/fhir/R4/bodyheight.html)"),
    /* The best hand: no LOINC code for "best of both hands" was found. */
    S("grip_kg", "Hand-grip strength, best hand", "kg"),
    SA("grip_kg", "Hand-grip strength, best hand", "[lbf_av]", "grip_lb"),
    /* loinc.org/83145-3, the NIH Toolbox Grip Strength Test panel: 83173-5
    ** left and 83174-3 right hand, example unit [lbf_av]. */
    L("83173-5", "Grip strength Hand - left Dynamometer", "kg", "grip_kg", "loinc.org/83145-3 (NIH Toolbox Grip Strength Test panel)"),
    L("83173-5", "Grip strength Hand - left Dynamometer", "[lbf_av]", "grip_lb", "loinc.org/83145-3 (NIH Toolbox Grip Strength Test panel)"),
    L("83174-3", "Grip strength Hand - right Dynamometer", "kg", "grip_kg", "loinc.org/83145-3 (NIH Toolbox Grip Strength Test panel)"),
    L("83174-3", "Grip strength Hand - right Dynamometer", "[lbf_av]", "grip_lb", "loinc.org/83145-3 (NIH Toolbox Grip Strength Test panel)"),
    /* loinc.org/83144-6, the NIH Toolbox 4-Meter Walk Gait Speed Test (usual pace): 83172-7 computed score, m/s. */
    L("83172-7", "4-Meter Walk Gait Speed Test - computed score [NIH Toolbox]", "m/s", "gait_speed_m_s",
      "loinc.org/83144-6 (NIH Toolbox 4-Meter Walk Gait Speed Test panel)"),
    /* loinc.org/89422-0, the CDC STEADI TUG panel: 89423-8 in s. */
    L("89423-8", "Time to rise from chair, walk 10 feet and back, and return to sitting [TUG]", "s", "tug_s",
      "loinc.org/89422-0 (CDC STEADI Timed Up and Go panel)"),
    /* Mayo Clinic Laboratories test catalogue, CRP (result LOINC 1988-5, mg/L). */
    L("1988-5", "C reactive protein [Mass/volume] in Serum or Plasma", "mg/L", "crp_mg_l",
      "Mayo Clinic Laboratories test catalogue, test CRP (mml.testcatalog.org/show/CRP)"),
    L("1988-5", "C reactive protein [Mass/volume] in Serum or Plasma", "mg/dL", "crp_mg_dl",
      "Mayo Clinic Laboratories test catalogue, test CRP (mml.testcatalog.org/show/CRP)"),
    /* Northwell Health Labs test directory, Interleukin-6 (LOINC 26881-3, pg/mL). */
    L("26881-3", "Interleukin 6 [Mass/volume] in Serum or Plasma", "pg/mL", "il6_pg_ml",
      "Northwell Health Labs test directory, Interleukin-6 (labs.northwell.edu/epic/test/1774)"),
    /* ARUP Laboratories test 0040085 and Mayo HGB: Hemoglobin, LOINC 718-7, g/dL. */
    L("718-7", "Hemoglobin [Mass/volume] in Blood", "g/dL", "hemoglobin_g_dl",
      "ARUP Laboratories test directory, test 0040085 (ltd.aruplab.com/Tests/Pub/0040085)"),
    L("718-7", "Hemoglobin [Mass/volume] in Blood", "g/L", "hemoglobin_g_l",
      "ARUP Laboratories test directory, test 0040085 (ltd.aruplab.com/Tests/Pub/0040085)"),
    /* Mayo Clinic Laboratories test catalogue, ALB: result LOINC 1751-7, g/dL. */
    L("1751-7", "Albumin [Mass/volume] in Serum or Plasma", "g/dL", "albumin_g_dl",
      "Mayo Clinic Laboratories test catalogue, test ALB (mml.testcatalog.org/show/ALB)"),
    L("1751-7", "Albumin [Mass/volume] in Serum or Plasma", "g/L", "albumin_g_l",
      "Mayo Clinic Laboratories test catalogue, test ALB (mml.testcatalog.org/show/ALB)"),
    /* mCODE STU4 ECOG Performance Status profile pins 89247-1 with valueInteger. */
    L("89247-1", "ECOG Performance Status score", "", "ecog",
      "HL7 mCODE STU4 ECOG Performance Status profile (hl7.org/fhir/us/mcode/STU4)"),

    /* sarx's own codes: measures with no verified LOINC code. */
    S("chair_stand_5x_s", "Five chair rises, time", "s"),
    S("chair_stand_unable", "Unable to complete five chair rises", ""),
    S("sppb_score", "Short Physical Performance Battery total", "{score}"),
    S("walk_400m_s", "400 m walk, time", "s"),
    S("walk_400m_completed", "Completed the 400 m walk", ""),
    S("asm_kg", "Appendicular skeletal (lean) mass", "kg"),
    S("asm_method", "How appendicular mass was measured (dxa or bia)", ""),
    S("smm_kg", "Whole-body skeletal muscle mass", "kg"),
    S("ffm_kg", "Fat-free mass", "kg"),
    S("bia_resistance_ohm", "BIA resistance at 50 kHz", "Ohm"),
    S("bia_reactance_ohm", "BIA reactance at 50 kHz", "Ohm"),
    S("calf_circumference_cm", "Calf circumference", "cm"),
    S("mid_arm_circumference_cm", "Mid-upper-arm circumference", "cm"),
    S("triceps_skinfold_mm", "Triceps skinfold", "mm"),
    S("ct_l3_smi_cm2_m2", "CT L3 skeletal muscle index", "cm2/m2"),
    S("sarc_f", "SARC-F total", "{score}"),
    S("sarc_f_strength", "SARC-F: lifting 10 lb", "{score}"),
    S("sarc_f_assistance", "SARC-F: walking across a room", "{score}"),
    S("sarc_f_rise", "SARC-F: rising from a chair", "{score}"),
    S("sarc_f_climb", "SARC-F: climbing 10 stairs", "{score}"),
    S("sarc_f_falls", "SARC-F: falls", "{score}"),
    S("population", "Reference population (general or asian)", ""),
    S("chronic_illness", "Has a chronic illness", ""),
    S("cancer", "Has cancer", ""),
    S("cancer_unresponsive", "Cancer not responsive to treatment", ""),
    S("life_expectancy_months", "Expected survival", "mo"),
    S("fatigue", "Fatigue", ""),
    S("anorexia", "Anorexia (poor appetite)", ""),
    S("reduced_strength", "Decreased muscle strength", ""),
    S("low_mamc", "Mid-arm muscle circumference below the 10th percentile", ""),
    S("metabolic_change", "Metabolic change", ""),
    S("reduced_intake", "Reduced food intake or assimilation", ""),
    S("inflammation", "Inflammation (acute or chronic disease)", ""),
    S("energy_intake_kcal_kg_day", "Energy intake", "kcal/kg/d"),
    S("intake_pct_usual", "Intake as % of usual", "%"),
    S("weight_loss_pct_6m", "Weight lost in 6 months", "%"),
    S("weight_loss_pct_12m", "Weight lost in 12 months", "%"),
    S("egfr_ml_min_1_73m2", "eGFR", "mL/min/{1.73_m2}"),
    S("dialysis", "On dialysis", ""),
    S("activity_level", "Physical activity (sedentary, low, moderate, high)", ""),
    S("immobilized_days", "Bed rest or cast, last 3 months", "d"),
    S("asymmetric_wasting", "One limb noticeably smaller", ""),
    S("fasciculations", "Muscle twitching", ""),
    S("dyspnea", "Difficulty breathing", ""),
    S("testosterone_ng_dl", "Total testosterone", "ng/dL"),
    SA("testosterone_ng_dl", "Total testosterone", "nmol/L", "testosterone_nmol_l"),
    S("lift_load_kg", "Submaximal lift load", "kg"),
    S("lift_reps", "Repetitions of that lift", "{score}"),
    S("low_intake_days", "Days of little or no food intake", "d"),
    S("potassium_mmol_l", "Serum potassium", "mmol/L"),
    SA("potassium_mmol_l", "Serum potassium", "meq/L", "potassium_meq_l"),
    S("phosphate_mmol_l", "Serum phosphate", "mmol/L"),
    SA("phosphate_mmol_l", "Serum phosphate (as phosphorus)", "mg/dL", "phosphate_mg_dl"),
    S("magnesium_mmol_l", "Serum magnesium", "mmol/L"),
    SA("magnesium_mmol_l", "Serum magnesium", "mg/dL", "magnesium_mg_dl"),
    S("alcohol_misuse", "Alcohol misuse", ""),
    S("pregnant", "Currently pregnant", ""),
    S("amputation", "Highest level of a limb amputation", ""),
    S("amputation_bilateral", "The same amputation on both sides", ""),
    S("amputation_pct", "Body weight missing through amputation", "%"),
    S("edema_or_ascites", "Oedema or ascites", ""),
    S("fat_mass_pct", "Body fat, % of weight", "%"),
    S("fat_mass_kg", "Fat mass", "kg"),
    S("waist_cm", "Waist circumference", "cm"),
    S("amputation_adjusted", "Muscle masses adjusted for the amputation", ""),
    S("sarcopenia_suspected", "Clinical suspicion of low muscle mass or function", ""),
    S("obesity_complications", "A complication of altered body composition", ""),
};
const size_t sarx__fhir_code_count = SARX__N(sarx__fhir_codes);
