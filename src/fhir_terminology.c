/*
** fhir_terminology.c — sarx's own FHIR CodeSystems and ValueSets
** (docs/FHIR.md, "Out"), generated from the definition tables, the derived
** values and the FHIR mapping table (fhir_map.c), as one Bundle of type
** collection: what docs/fhir/ ships (tools/fhir-terminology.c) and what
** every code sarx writes is checked against (tests/fhir_out.c).
*/
#include "fhir_cs.h"

#include <stdio.h>
#include <string.h>

/* ---- helpers shared with fhir_out.c (fhir_cs.h) ---- */

const char *sarx__fhir_ucum_of(const char *unit)
{
    if (!unit || !*unit)
        return "";
    if (strcmp(unit, "points") == 0)
        return "{score}";
    if (strcmp(unit, "years") == 0)
        return "a";
    if (strcmp(unit, "months") == 0)
        return "mo";
    if (strcmp(unit, "days") == 0)
        return "d";
    return unit; /* kg/m2, %, cm, kg, ... are UCUM as written */
}

void sarx__fhir_qualified(char *buf, size_t n, const char *def, const char *rest)
{
    snprintf(buf, n, "%s.%s", def, rest);
}

json_t *sarx__fhir_coding(const char *system, const char *code, const char *display)
{
    json_t *c = json_object();
    json_object_set_new(c, "system", json_string(system));
    json_object_set_new(c, "code", json_string(code));
    if (display && *display)
        json_object_set_new(c, "display", json_string(display));
    return c;
}

json_t *sarx__fhir_concept(const char *system, const char *code, const char *display)
{
    json_t *cc = json_object(), *a = json_array();
    json_array_append_new(a, sarx__fhir_coding(system, code, display));
    json_object_set_new(cc, "coding", a);
    if (display && *display)
        json_object_set_new(cc, "text", json_string(display));
    return cc;
}

char *sarx__fhir_dump(json_t *root, unsigned flags)
{
    char *out;
    if (!root)
        return NULL;
    out = json_dumps(root, ((flags & SARX_RENDER_PRETTY) ? JSON_INDENT(2) : JSON_COMPACT) | JSON_PRESERVE_ORDER |
                               JSON_REAL_PRECISION(15));
    json_decref(root);
    return out;
}

/* ---- the terminology ---- */

/* A FHIR id from a sarx id: '_' is not allowed in ids, '-' is. */
static void fhir_id(char *buf, size_t n, const char *prefix, const char *id)
{
    size_t i;
    snprintf(buf, n, "%s%s", prefix, id);
    for (i = 0; buf[i]; i++)
        if (buf[i] == '_')
            buf[i] = '-';
}

static json_t *concept(const char *code, const char *display, const char *definition)
{
    json_t *c = json_object();
    json_object_set_new(c, "code", json_string(code));
    if (display && *display)
        json_object_set_new(c, "display", json_string(display));
    if (definition && *definition)
        json_object_set_new(c, "definition", json_string(definition));
    return c;
}

static json_t *code_system(const char *id, const char *url, const char *name, const char *title,
                           const char *description, json_t *concepts)
{
    json_t *cs = json_object();
    json_object_set_new(cs, "resourceType", json_string("CodeSystem"));
    json_object_set_new(cs, "id", json_string(id));
    json_object_set_new(cs, "url", json_string(url));
    json_object_set_new(cs, "version", json_string(sarx_version()));
    json_object_set_new(cs, "name", json_string(name));
    json_object_set_new(cs, "title", json_string(title));
    json_object_set_new(cs, "status", json_string("active"));
    json_object_set_new(cs, "experimental", json_false());
    json_object_set_new(cs, "publisher", json_string("sarx"));
    json_object_set_new(cs, "description", json_string(description));
    json_object_set_new(cs, "caseSensitive", json_true());
    {
        char vs[160];
        snprintf(vs, sizeof vs, "%s%s", SARX__FHIR_VS_PREFIX, id + 5); /* the ValueSet of all its codes */
        if (strcmp(id, "sarx-result") != 0)
            json_object_set_new(cs, "valueSet", json_string(vs));
    }
    json_object_set_new(cs, "content", json_string("complete"));
    json_object_set_new(cs, "count", json_integer((json_int_t)json_array_size(concepts)));
    json_object_set_new(cs, "concept", concepts);
    return cs;
}

/* A ValueSet: every code of system (concepts NULL), or the concepts listed. */
static json_t *value_set(const char *id, const char *name, const char *title, const char *description,
                         const char *system, json_t *concepts)
{
    char url[160];
    json_t *vs = json_object(), *compose = json_object(), *inc = json_object(), *incs = json_array();
    snprintf(url, sizeof url, "%s%s", SARX__FHIR_VS_PREFIX, id + 5 /* after "sarx-" */);
    json_object_set_new(vs, "resourceType", json_string("ValueSet"));
    json_object_set_new(vs, "id", json_string(id));
    json_object_set_new(vs, "url", json_string(url));
    json_object_set_new(vs, "version", json_string(sarx_version()));
    json_object_set_new(vs, "name", json_string(name));
    json_object_set_new(vs, "title", json_string(title));
    json_object_set_new(vs, "status", json_string("active"));
    json_object_set_new(vs, "experimental", json_false());
    json_object_set_new(vs, "publisher", json_string("sarx"));
    json_object_set_new(vs, "description", json_string(description));
    json_object_set_new(inc, "system", json_string(system));
    json_object_set_new(inc, "version", json_string(sarx_version()));
    if (concepts)
        json_object_set_new(inc, "concept", concepts);
    json_array_append_new(incs, inc);
    json_object_set_new(compose, "include", incs);
    json_object_set_new(vs, "compose", compose);
    return vs;
}

static void add_entry(json_t *entries, json_t *res)
{
    json_t *e = json_object();
    const char *url = json_string_value(json_object_get(res, "url"));
    json_object_set_new(e, "fullUrl", json_string(url));
    json_object_set_new(e, "resource", res);
    json_array_append_new(entries, e);
}

static int has_code(const json_t *concepts, const char *code)
{
    size_t i;
    json_t *c;
    json_array_foreach(concepts, i, c)
    {
        if (strcmp(json_string_value(json_object_get(c, "code")), code) == 0)
            return 1;
    }
    return 0;
}

char *sarx_fhir_terminology(const sarx_ctx *ctx, unsigned flags)
{
    json_t *root = json_object(), *entries = json_array();
    json_t *defs = json_array(), *cats = json_array(), *crits = json_array(), *measures = json_array();
    json_t *result = json_array(), *percat = json_array();
    size_t i, j, n = sarx_definition_count(ctx);
    char code[160], text[512];

    if (!root || !entries || !defs || !cats || !crits || !measures || !result || !percat)
        goto fail;
    for (i = 0; i < n; i++) {
        const sarx_definition *d = sarx_definition_at(ctx, i);
        const char *id = sarx_definition_id(d);
        json_t *these = json_array();
        snprintf(text, sizeof text, "%s (%s; definition table %s). %s", sarx_definition_title(d),
                 sarx_definition_kind(d), sarx_definition_version(d), sarx_definition_citation(d));
        json_array_append_new(defs, concept(id, sarx_definition_title(d), text));
        for (j = 0; j <= sarx_definition_category_count(d); j++) {
            int last = j == sarx_definition_category_count(d);
            const char *cat = last ? "indeterminate" : sarx_definition_category(d, j);
            const char *words = sarx__category_words(d->d, last ? -1 : (int)j);
            char disp[256];
            sarx__fhir_qualified(code, sizeof code, id, cat);
            snprintf(disp, sizeof disp, "%s: %s", sarx_definition_title(d), words);
            if (last)
                snprintf(text, sizeof text, "%s: not decided by the values given (an input it needs is missing)",
                         sarx_definition_title(d));
            else
                snprintf(text, sizeof text, "%s: %s (rule: %s)%s", sarx_definition_title(d), cat,
                         sarx_definition_category_rule(d, j),
                         sarx_definition_category_positive(d, j) ? "; a positive finding" : "");
            json_array_append_new(cats, concept(code, disp, text));
            json_array_append_new(these, concept(code, disp, NULL));
        }
        for (j = 0; j < sarx_definition_criterion_count(d); j++) {
            sarx__fhir_qualified(code, sizeof code, id, sarx_definition_criterion(d, j));
            snprintf(text, sizeof text, "%s: %s", sarx_definition_title(d), sarx_definition_criterion_text(d, j));
            json_array_append_new(crits, concept(code, sarx_definition_criterion(d, j), text));
        }
        {
            char vid[96], name[96], title[256], desc[320];
            size_t k;
            fhir_id(vid, sizeof vid, "sarx-category-", id);
            snprintf(name, sizeof name, "SarxCategory%s", id);
            for (k = 0; name[k]; k++)
                if (name[k] == '_')
                    name[k] = 'X';
            snprintf(title, sizeof title, "sarx categories of %s", sarx_definition_title(d));
            snprintf(desc, sizeof desc,
                     "The categories sarx can give under %s, and indeterminate. Decision support, not a diagnosis.",
                     sarx_definition_title(d));
            json_array_append_new(percat, value_set(vid, name, title, desc, SARX__FHIR_CS_CAT, these));
        }
    }
    for (i = 0; i < sarx__fhir_code_count; i++) {
        const sarx__fhir_code *c = &sarx__fhir_codes[i];
        if (strcmp(c->system, SARX__FHIR_CS) != 0 || has_code(measures, c->code))
            continue;
        snprintf(text, sizeof text, "sarx input field %s%s%s%s: a measure without a verified LOINC code",
                 c->field, *c->ucum ? " (" : "", c->ucum, *c->ucum ? ")" : "");
        json_array_append_new(measures, concept(c->code, c->display, text));
    }
    for (i = 0; i < sarx_derived_count(); i++) {
        const char *name = sarx_derived_name(i), *unit = sarx_derived_unit(i);
        if (has_code(measures, name))
            continue;
        snprintf(text, sizeof text, "sarx derived value %s%s%s%s (docs/INPUT.md)", name, *unit ? ", in " : "",
                 unit, "");
        json_array_append_new(measures, concept(name, name, text));
    }
    json_array_append_new(result, concept("complete", "result complete",
                                          "Whether the category is decided (true) or could change with the "
                                          "missing inputs (false)"));
    json_array_append_new(result, concept("missing", "missing inputs",
                                          "The inputs that would decide an incomplete result (any one of "
                                          "the alternatives), comma-separated sarx field names"));

    add_entry(entries, code_system("sarx-definition", SARX__FHIR_CS_DEF, "SarxDefinition", "sarx definitions",
                                   "The published definitions sarx applies (sarcopenia, cachexia, malnutrition, "
                                   "screens), one code per definition table.",
                                   defs));
    add_entry(entries, code_system("sarx-category", SARX__FHIR_CS_CAT, "SarxCategory", "sarx categories",
                                   "The categories of every definition, qualified by the definition "
                                   "(definition.category), and definition.indeterminate. Decision support, not a "
                                   "diagnosis.",
                                   cats));
    add_entry(entries, code_system("sarx-criterion", SARX__FHIR_CS_CRIT, "SarxCriterion", "sarx criteria",
                                   "The criteria of every definition, qualified by the definition "
                                   "(definition.criterion).",
                                   crits));
    add_entry(entries, code_system("sarx-measure", SARX__FHIR_CS, "SarxMeasure", "sarx measures",
                                   "Inputs without a verified LOINC code (the sarx field name) and the values "
                                   "sarx derives (bmi, asmi, weight loss %, ...).",
                                   measures));
    add_entry(entries, code_system("sarx-result", SARX__FHIR_CS_RESULT, "SarxResult", "sarx result elements",
                                   "The parts of a sarx result that are not criteria.", result));
    add_entry(entries, value_set("sarx-definition", "SarxDefinition", "sarx definitions",
                                 "Every sarx definition.", SARX__FHIR_CS_DEF, NULL));
    add_entry(entries, value_set("sarx-category", "SarxCategory", "sarx categories",
                                 "Every category of every sarx definition.", SARX__FHIR_CS_CAT, NULL));
    add_entry(entries, value_set("sarx-criterion", "SarxCriterion", "sarx criteria",
                                 "Every criterion of every sarx definition.", SARX__FHIR_CS_CRIT, NULL));
    add_entry(entries, value_set("sarx-measure", "SarxMeasure", "sarx measures",
                                 "sarx's local measures and derived values.", SARX__FHIR_CS, NULL));
    {
        size_t k;
        json_t *v;
        json_array_foreach(percat, k, v) add_entry(entries, json_incref(v));
    }
    json_decref(percat);
    json_object_set_new(root, "resourceType", json_string("Bundle"));
    json_object_set_new(root, "id", json_string("sarx-terminology"));
    json_object_set_new(root, "type", json_string("collection"));
    json_object_set_new(root, "entry", entries);
    return sarx__fhir_dump(root, flags);
fail:
    json_decref(root);
    json_decref(entries);
    json_decref(defs);
    json_decref(cats);
    json_decref(crits);
    json_decref(measures);
    json_decref(result);
    json_decref(percat);
    return NULL;
}
