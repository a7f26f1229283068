/*
** guidance_refeeding.c — the risk of refeeding syndrome (docs/GUIDANCE.md,
** "Refeeding syndrome").
**
** NICE clinical guideline CG32 (2006), "Nutrition support for adults",
** criteria for people at high risk of developing refeeding problems: one of
** BMI < 16 kg/m2; unintentional weight loss > 15 % within the last 3-6
** months; little or no nutritional intake for > 10 days; low levels of
** potassium, phosphate or magnesium before feeding; or two of BMI < 18.5;
** loss > 10 % within 3-6 months; little or no intake for > 5 days; a
** history of alcohol abuse or drugs including insulin, chemotherapy,
** antacids or diuretics.  In extreme cases (BMI < 14, or negligible intake
** for > 15 days) NICE starts feeding at no more than 5 kcal/kg/day instead
** of 10.  The ASPEN consensus (da Silva et al., Nutr Clin Pract
** 2020;35:178-195) grades risk with broader criteria; sarx applies NICE's
** and cites ASPEN beside it.
**
** Weight loss is the 6-month loss (weight_loss_pct_6m, or the history's
** 6-month window): a loss "within the last 3-6 months" is within it.  NICE
** gives no numbers for "low" electrolytes: sarx takes the usual lower
** reference limits (a sarx decision, docs/DECISIONS.md).  Nothing is
** imputed: the risk is high when NICE's criteria are met, not high only
** when every criterion that could make it high is known to be absent, and
** unknown otherwise; the red flag is listed as "possible" when part of it
** is met, naming the inputs that would decide it.  The drug criterion is
** unknown, not "not met", while the medication list holds an item sarx
** cannot read (guidance_lists.c): NICE names classes, and a medicine sarx
** does not know could belong to one.
**
** NICE's other rule, for people who have eaten little or nothing for more
** than 5 days and are not at high risk (no more than 50 % of requirements
** for the first 2 days), is in the plan (guidance_plan.c).
*/
#include "guidance.h"

#include <string.h>

#define BMI_HIGH 16.0   /* NICE CG32: BMI < 16 */
#define BMI_SOME 18.5   /* NICE CG32: BMI < 18.5 */
#define BMI_EXTREME 14.0 /* NICE CG32: BMI < 14, start at 5 kcal/kg/day */
#define LOSS_HIGH 15.0  /* NICE CG32: > 15 % within 3-6 months */
#define LOSS_SOME 10.0  /* NICE CG32: > 10 % within 3-6 months */
#define DAYS_HIGH 10.0  /* NICE CG32: little or no intake > 10 days */
#define DAYS_SOME 5.0   /* NICE CG32: little or no intake > 5 days */
#define DAYS_EXTREME 15.0 /* NICE CG32: negligible intake > 15 days */
/* sarx: NICE says "low" without numbers; these are the usual lower
** reference limits of adult serum (docs/DECISIONS.md). */
#define K_LOW 3.5       /* potassium, mmol/L */
#define PO4_LOW 0.8     /* phosphate, mmol/L */
#define MG_LOW 0.7      /* magnesium, mmol/L */

/* NICE CG32's drugs: "insulin, chemotherapy, antacids or diuretics" (classes
** only; the agents below are a sarx decision, docs/DECISIONS.md).  Insulins
** by generic and brand name; cytotoxic chemotherapy by name, word ending
** (-platin, -taxel, -rubicin, ...), brand and regimen; antacids that
** contain aluminium or magnesium, and antacid brands (calcium carbonate
** alone is left unread: it is as often a calcium supplement); loop,
** thiazide, thiazide-like, potassium-sparing and carbonic-anhydrase
** diuretics, their brands and fixed combinations, since NICE names
** diuretics without a class. */
#define INS "insulin"
#define CHEMO "cytotoxic chemotherapy"
#define ANTACID "antacid"
#define DIUR "diuretic"
static const sarx__kw drug_names[] = {
    {"insulin*", INS}, {"glargine", INS}, {"detemir", INS}, {"degludec", INS}, {"lispro", INS}, {"aspart", INS},
    {"glulisine", INS}, {"isophane", INS}, {"NPH", INS}, {"lantus", INS}, {"toujeo", INS}, {"abasaglar", INS},
    {"basaglar", INS}, {"semglee", INS}, {"rezvoglar", INS}, {"levemir", INS}, {"tresiba", INS},
    {"humalog", INS}, {"admelog", INS}, {"lyumjev", INS}, {"novorapid", INS}, {"novolog", INS}, {"fiasp", INS},
    {"apidra", INS}, {"humulin", INS}, {"novolin", INS}, {"insulatard", INS}, {"actrapid", INS},
    {"mixtard", INS}, {"insuman", INS}, {"hypurin", INS}, {"novomix", INS}, {"ryzodeg", INS},
    {"xultophy", INS}, {"soliqua", INS}, {"afrezza", INS}, {"velosulin", INS}, {"myxredlin", INS},
    {"chemotherapy", CHEMO}, {"chemo", CHEMO}, {"cytotoxic*", CHEMO}, {"antineoplastic*", CHEMO},
    {"cyclophosphamide", CHEMO}, {"ifosfamide", CHEMO}, {"chlorambucil", CHEMO}, {"melphalan", CHEMO},
    {"busulfan", CHEMO}, {"chlormethine", CHEMO}, {"mechlorethamine", CHEMO}, {"thiotepa", CHEMO},
    {"dacarbazine", CHEMO}, {"temozolomide", CHEMO}, {"procarbazine", CHEMO}, {"fluorouracil", CHEMO},
    {"5-FU", CHEMO}, {"5FU", CHEMO}, {"tegafur", CHEMO}, {"trifluridine", CHEMO}, {"azacitidine", CHEMO},
    {"methotrexate", CHEMO}, {"mercaptopurine", CHEMO}, {"thioguanine", CHEMO}, {"tioguanine", CHEMO},
    {"hydroxycarbamide", CHEMO}, {"hydroxyurea", CHEMO}, {"bleomycin", CHEMO}, {"mitomycin", CHEMO},
    {"dactinomycin", CHEMO}, {"actinomycin", CHEMO}, {"mitoxantrone", CHEMO}, {"vincristine", CHEMO},
    {"vinblastine", CHEMO}, {"vinorelbine", CHEMO}, {"vindesine", CHEMO}, {"vinflunine", CHEMO},
    {"eribulin", CHEMO}, {"ixabepilone", CHEMO}, {"trabectedin", CHEMO}, {"lurbinectedin", CHEMO},
    {"amsacrine", CHEMO}, {"taxol", CHEMO}, {"taxotere", CHEMO}, {"abraxane", CHEMO}, {"xeloda", CHEMO},
    {"gemzar", CHEMO}, {"adriamycin", CHEMO}, {"alimta", CHEMO}, {"navelbine", CHEMO}, {"halaven", CHEMO},
    {"temodal", CHEMO}, {"temodar", CHEMO}, {"campto", CHEMO}, {"camptosar", CHEMO}, {"onivyde", CHEMO},
    {"eloxatin", CHEMO}, {"paraplatin", CHEMO}, {"platinol", CHEMO}, {"oncovin", CHEMO}, {"lonsurf", CHEMO},
    {"endoxan", CHEMO}, {"cytoxan", CHEMO}, {"caelyx", CHEMO}, {"doxil", CHEMO}, {"myocet", CHEMO},
    {"jevtana", CHEMO}, {"hycamtin", CHEMO}, {"vepesid", CHEMO}, {"FOLFOX", CHEMO}, {"FOLFIRI", CHEMO},
    {"FOLFIRINOX", CHEMO}, {"FOLFOXIRI", CHEMO}, {"CAPOX", CHEMO}, {"XELOX", CHEMO}, {"CHOP", CHEMO},
    {"ABVD", CHEMO}, {"BEACOPP", CHEMO}, {"BEP", CHEMO}, {"CMF", CHEMO}, {"FEC", CHEMO}, {"ECF", CHEMO},
    {"EOX", CHEMO}, {"MVAC", CHEMO},
    {"antacid*", ANTACID}, {"aluminium hydroxide", ANTACID}, {"aluminum hydroxide", ANTACID},
    {"magnesium hydroxide", ANTACID}, {"magnesium trisilicate", ANTACID}, {"magnesium carbonate", ANTACID},
    {"hydrotalcite", ANTACID}, {"magaldrate", ANTACID}, {"algeldrate", ANTACID}, {"milk of magnesia", ANTACID},
    {"maalox", ANTACID}, {"mylanta", ANTACID}, {"gaviscon", ANTACID}, {"rennie", ANTACID}, {"tums", ANTACID},
    {"rolaids", ANTACID}, {"alu-cap", ANTACID}, {"altacite", ANTACID}, {"asilone", ANTACID},
    {"peptac", ANTACID}, {"acidex", ANTACID}, {"mucogel", ANTACID},
    {"diuretic*", DIUR}, {"furosemide", DIUR}, {"frusemide", DIUR}, {"bumetanide", DIUR}, {"torasemide", DIUR},
    {"torsemide", DIUR}, {"ethacrynic", DIUR}, {"etacrynic", DIUR}, {"HCTZ", DIUR}, {"HCT", DIUR},
    {"chlortalidone", DIUR}, {"chlorthalidone", DIUR}, {"indapamide", DIUR}, {"metolazone", DIUR},
    {"xipamide", DIUR}, {"spironolactone", DIUR}, {"eplerenone", DIUR}, {"amiloride", DIUR},
    {"triamterene", DIUR}, {"acetazolamide", DIUR}, {"mannitol", DIUR}, {"lasix", DIUR}, {"frusol", DIUR},
    {"burinex", DIUR}, {"bumex", DIUR}, {"demadex", DIUR}, {"soaanz", DIUR}, {"edecrin", DIUR},
    {"microzide", DIUR}, {"natrilix", DIUR}, {"zaroxolyn", DIUR}, {"hygroton", DIUR}, {"aldactone", DIUR},
    {"inspra", DIUR}, {"midamor", DIUR}, {"dyrenium", DIUR}, {"diamox", DIUR}, {"frumil", DIUR},
    {"co-amilofruse", DIUR}, {"co-amilozide", DIUR}, {"moduretic", DIUR}, {"dyazide", DIUR}, {"maxzide", DIUR},
    {"co-triamterzide", DIUR}, {"aldactide", DIUR}, {"co-flumactone", DIUR}, {"aldactazide", DIUR},
    {"lasilactone", DIUR}, {"co-tenidone", DIUR}, {"tenoretic", DIUR}, {"zestoretic", DIUR},
    {"co-zidocapt", DIUR}, {"capozide", DIUR}, {"hyzaar", DIUR}, {"vaseretic", DIUR}, {"accuretic", DIUR},
    {"co-diovan", DIUR}, {"co-aprovel", DIUR}, {"avalide", DIUR}, {"coversyl plus", DIUR}, {"noliprel", DIUR},
    {"preterax", DIUR},
};
static const sarx__kw drug_stems[] = {
    {"platin", CHEMO}, {"taxel", CHEMO}, {"rubicin", CHEMO}, {"citabine", CHEMO}, {"arabine", CHEMO},
    {"mustine", CHEMO}, {"tecan", CHEMO}, {"poside", CHEMO}, {"trexed", CHEMO}, {"thiazide", DIUR},
};
/* Forms that act locally: "fluorouracil cream" is not chemotherapy.  Gels,
** sprays, drops and inhaled forms are not in it (aluminium hydroxide gel
** and inhaled insulin act on the whole body). */
static const char *const drug_topical[] = {"cream", "ointment", "lotion", "topical", "eye", "ear", "nasal",
                                           "shampoo", "intra-articular", "injection into", NULL};
/* Common medicines that are none of NICE's four classes, by generic name
** (a sarx decision, docs/DECISIONS.md): an item made of these, doses,
** forms and times is read as "not one of them"; any other word leaves it
** unread.  Proton-pump inhibitors and H2 blockers suppress acid and are not
** antacids; medicines that change electrolytes in other ways (potassium or
** magnesium salts, SGLT2 inhibitors, laxatives by name) are left out, so
** they stay unread. */
static const char *const drug_known[] = {
    "paracetamol", "acetaminophen", "ibuprofen", "naproxen", "diclofenac", "aspirin", "codeine", "tramadol",
    "morphine", "oxycodone", "fentanyl", "buprenorphine", "atorvastatin", "simvastatin", "rosuvastatin",
    "pravastatin", "ezetimibe", "amlodipine", "felodipine", "nifedipine", "lercanidipine", "diltiazem",
    "verapamil", "ramipril", "lisinopril", "enalapril", "perindopril", "captopril", "losartan", "candesartan",
    "valsartan", "irbesartan", "telmisartan", "olmesartan", "bisoprolol", "metoprolol", "atenolol", "carvedilol",
    "propranolol", "nebivolol", "doxazosin", "digoxin", "isosorbide", "mononitrate", "dinitrate", "glyceryl",
    "trinitrate", "gtn", "metformin", "gliclazide", "glimepiride", "glipizide", "sitagliptin", "linagliptin",
    "alogliptin", "saxagliptin", "pioglitazone", "warfarin", "apixaban", "rivaroxaban", "edoxaban",
    "dabigatran", "clopidogrel", "ticagrelor", "prasugrel", "levothyroxine", "thyroxine", "omeprazole",
    "lansoprazole", "pantoprazole", "esomeprazole", "rabeprazole", "famotidine", "ranitidine", "ondansetron",
    "metoclopramide", "domperidone", "loperamide", "salbutamol", "albuterol", "tiotropium", "ipratropium",
    "budesonide", "fluticasone", "beclometasone", "formoterol", "salmeterol", "montelukast", "sertraline",
    "citalopram", "escitalopram", "fluoxetine", "mirtazapine", "amitriptyline", "venlafaxine", "duloxetine",
    "trazodone", "zopiclone", "lorazepam", "diazepam", "quetiapine", "olanzapine", "risperidone",
    "haloperidol", "donepezil", "memantine", "rivastigmine", "levodopa", "carbidopa", "gabapentin",
    "pregabalin", "levetiracetam", "lamotrigine", "carbamazepine", "phenytoin", "tamsulosin", "finasteride",
    "oxybutynin", "solifenacin", "mirabegron", "alendronate", "alendronic", "risedronate", "denosumab",
    "colecalciferol", "cholecalciferol", "ergocalciferol", "vitamin", "vit", "d", "d3", "b12", "thiamine",
    "thiamin", "folic", "acid", "ferrous", "sulfate", "sulphate", "fumarate", "allopurinol", "colchicine",
    "hydroxychloroquine", "amoxicillin", "doxycycline", "nitrofurantoin", "trimethoprim", "prednisolone",
    "prednisone", "dexamethasone", "hydrocortisone", "methylprednisolone", "sodium", "hydrochloride", "hcl",
    NULL};
static const sarx__medlist drugs = {drug_names, SARX__N(drug_names), drug_stems, SARX__N(drug_stems),
                                    drug_topical, drug_known};

int sarx__g_refeeding(gctx *g)
{
    int high, some[4], met = 0, unk = 0, two, t, k, meds;
    size_t unread;
    char a[48];
    /* One of these is high risk.  A criterion met in the first list is not
    ** counted again in the second (BMI 15 is not also "BMI < 18.5"). */
    int bmi = sarx__g_cmp(g, SARX__M_BMI, SARX__LT, BMI_HIGH);
    int loss = sarx__g_cmp(g, SARX__M_WL6, SARX__GT, LOSS_HIGH);
    int days = sarx__g_cmp(g, SARX__F_LOW_INTAKE_DAYS, SARX__GT, DAYS_HIGH);
    high = or3(or3(bmi, loss), days);
    high = or3(high, sarx__g_cmp(g, SARX__F_POTASSIUM, SARX__LT, K_LOW));
    high = or3(high, sarx__g_cmp(g, SARX__F_PHOSPHATE, SARX__LT, PO4_LOW));
    high = or3(high, sarx__g_cmp(g, SARX__F_MAGNESIUM, SARX__LT, MG_LOW));
    /* Two of these. */
    some[0] = bmi == MET ? MET : sarx__g_cmp(g, SARX__M_BMI, SARX__LT, BMI_SOME);
    some[1] = loss == MET ? MET : sarx__g_cmp(g, SARX__M_WL6, SARX__GT, LOSS_SOME);
    some[2] = days == MET ? MET : sarx__g_cmp(g, SARX__F_LOW_INTAKE_DAYS, SARX__GT, DAYS_SOME);
    meds = sarx__g_medications(g, &drugs, &unread);
    some[3] = or3(sarx__g_true(g, SARX__F_ALCOHOL_MISUSE), meds);
    for (k = 0; k < 4; k++) {
        met += some[k] == MET;
        unk += some[k] == UNK;
    }
    two = met >= 2 ? MET : met + unk < 2 ? NOT : UNK;
    t = or3(high, two);
    if (high == MET)
        sarx__g_evidence(g, "one criterion of NICE's first list is enough");
    else if (two == MET)
        sarx__g_evidence(g, "two criteria of NICE's second list");
    else if (t == UNK && meds == UNK && unread) {
        char m[100];
        sarx__g_evidence(g, "%s: \"%s\" is not read as insulin, chemotherapy, an antacid or a diuretic, nor as "
                            "another medicine",
                         sarx__field_info[SARX__F_MEDICATIONS].name,
                         sarx__g_clip(m, sizeof m, g->s->medications.item[unread - 1]));
    }
    /* The extreme cases, for the starting amount (guidance_plan.c). */
    memset(&g->extreme_need, 0, sizeof g->extreme_need);
    g->refeed_extreme = or3(sarx__g_cmp_quiet(g, SARX__M_BMI, SARX__LT, BMI_EXTREME, &g->extreme_need),
                            sarx__g_cmp_quiet(g, SARX__F_LOW_INTAKE_DAYS, SARX__GT, DAYS_EXTREME,
                                              &g->extreme_need));
    if (t == MET) {
        int five = g->refeed_extreme == MET;
        sarx__printf(&g->msg,
                     "High risk of refeeding syndrome (NICE CG32): feeding must start slowly, at no more than %s "
                     "kcal/kg/day%s, and rise to full needs over 4-7 days, with potassium, phosphate and magnesium "
                     "checked and corrected and thiamine and other B vitamins given before and during the first "
                     "days of feeding, all prescribed and monitored by a clinician.",
                     sarx__g_num(a, sizeof a, five ? 5.0 : 10.0),
                     five ? " (an extreme case: BMI below 14 or negligible intake for more than 15 days), with the "
                            "heart rhythm monitored"
                          : "");
    } else if (t == UNK) {
        sarx__puts(&g->msg, "Refeeding syndrome: high risk (NICE CG32) is not excluded on the values given; the "
                            "inputs listed would decide it. Until then a clinician decides how fast feeding "
                            "starts.");
    }
    return t;
}

/* Electrolytes before feeding, when the risk is high or possible and one
** of them is not known. */
int sarx__g_test_refeeding(gctx *g)
{
    static const int labs[] = {SARX__F_POTASSIUM, SARX__F_PHOSPHATE, SARX__F_MAGNESIUM};
    size_t i;
    int missing = 0;
    if (g->st[F_REFEEDING] == NOT || (g->st[F_REFEEDING] == UNK && !g->part[F_REFEEDING]))
        return NOT;
    for (i = 0; i < SARX__N(labs); i++)
        if (isnan(g->s->v[labs[i]])) {
            sarx__g_evidence(g, "%s not given", sarx__field_info[labs[i]].name);
            missing = 1;
        }
    if (!missing)
        return NOT;
    sarx__g_evidence(g, "refeeding risk %s (see red flags)", g->st[F_REFEEDING] == MET ? "high" : "possible");
    return MET;
}
