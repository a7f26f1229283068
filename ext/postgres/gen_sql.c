/*
** gen_sql.c — writes the install script sarx--VERSION.sql of the PostgreSQL
** extension on stdout, from the library it is linked with: the enum
** sarx_definition holds exactly the library's definition ids, in its order,
** and the version is the library's.  Run at build time (ext/postgres/Makefile):
**
**   sarx_gensql ext/postgres/sarx.control > sarx--0.1.0.sql
**
** It refuses to run when the control file's default_version is not the
** library's version.  The Makefile appends ext/postgres/sarx_omop.sql (the
** OMOP CDM functions) when it exists.
*/
#include "sarx.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The control file's default_version, or NULL. */
static char *control_version(const char *path)
{
    static char buf[512];
    FILE *f = fopen(path, "r");
    char *v = NULL;
    if (!f)
        return NULL;
    while (fgets(buf, sizeof buf, f)) {
        char *p = buf, *q;
        if (strncmp(p, "default_version", 15) != 0)
            continue;
        if ((p = strchr(p, '\'')) == NULL || (q = strchr(p + 1, '\'')) == NULL)
            break;
        *q = '\0';
        v = p + 1;
        break;
    }
    fclose(f);
    return v;
}

/* The functions on a subject: one SQL function per subject type (jsonb is
** read directly; json and text are parsed by the library), all C. */
typedef struct fn {
    const char *name;  /* SQL name */
    const char *args;  /* after the subject */
    const char *ret;
    const char *csym;  /* C symbol without the _jsonb / _text suffix */
    int cost;
    const char *comment;
} fn;

static const fn scalar[] = {
    {"sarx_category", ", definition sarx_definition", "text", "sarx_pg_category", 50,
     "the category of the definition, as sarx assess names it (indeterminate when undecided)"},
    {"sarx_complete", ", definition sarx_definition", "boolean", "sarx_pg_complete", 50,
     "whether the result is complete (no missing input could change it)"},
    {"sarx_missing", ", definition sarx_definition", "text[]", "sarx_pg_missing", 500,
     "the inputs that would decide an incomplete result (empty when complete)"},
    {"sarx_measure", ", name text", "double precision", "sarx_pg_measure", 500,
     "a derived value (bmi, asmi, ...); NULL when it cannot be computed"},
    {"sarx_check", "", "text", "sarx_pg_check", 50,
     "NULL when the subject is valid, else the message naming the field, the value and the allowed range"},
    {"sarx_assess", "", "jsonb", "sarx_pg_assess", 2000,
     "the whole assessment, as sarx assess --format json prints it"},
};

static const char *const subject_types[] = {"jsonb", "json", "text"};

/* s as an SQL string literal's contents ('' for '). */
static void put_sql_string(const char *s)
{
    for (; *s; s++)
        if (*s == '\'')
            fputs("''", stdout);
        else
            putchar(*s);
}

/* The fields `sarx fields` lists, as an SQL function returning a table (for
** users, and for the OMOP mapping's check that a field is a number in its
** canonical unit): generated from the library, so it cannot drift. */
static void fields_function(void)
{
    static const char *const kinds[] = {"number", "integer", "bool", "enum", "text", "date", "list", "history"};
    size_t i, n = sarx_field_count();
    printf("-- The input fields (as `sarx fields` lists them), from the library.\n"
           "CREATE FUNCTION sarx_fields()\n"
           "    RETURNS TABLE (name text, canonical text, kind text, unit text, min double precision,\n"
           "                   max double precision, allowed text, description text)\n"
           "    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $sarx$ VALUES");
    for (i = 0; i < n; i++) {
        const sarx_field_info *f = sarx_field_at(i);
        int numeric = f->kind == SARX_KIND_NUMBER || f->kind == SARX_KIND_INTEGER;
        printf("%s\n    ('%s', '%s', '%s', '", i ? "," : "", f->name, f->canonical,
               f->kind >= 0 && f->kind < 8 ? kinds[f->kind] : "?");
        put_sql_string(f->unit);
        if (numeric)
            printf("', %.17g::float8, %.17g::float8, ", f->min, f->max);
        else
            printf("', NULL::float8, NULL::float8, ");
        if (f->values) {
            putchar('\'');
            put_sql_string(f->values);
            putchar('\'');
        } else {
            fputs("NULL", stdout);
        }
        fputs(", '", stdout);
        put_sql_string(f->description);
        fputs("')", stdout);
    }
    printf(" $sarx$;\n"
           "COMMENT ON FUNCTION sarx_fields() IS 'the input fields of a subject, as sarx fields lists them';\n\n");
}

int main(int argc, char **argv)
{
    sarx_ctx *ctx = NULL;
    sarx_error err;
    const char *cv;
    size_t i, t, n;
    if (argc != 2) {
        fputs("usage: sarx_gensql SARX.CONTROL > sarx--VERSION.sql\n", stderr);
        return 2;
    }
    if ((cv = control_version(argv[1])) == NULL) {
        fprintf(stderr, "sarx_gensql: %s: no default_version = '...' line\n", argv[1]);
        return 1;
    }
    if (strcmp(cv, sarx_version()) != 0) {
        fprintf(stderr, "sarx_gensql: %s says default_version '%s', the library is %s: update the control file\n",
                argv[1], cv, sarx_version());
        return 1;
    }
    if (sarx_ctx_new(&ctx, &err) != SARX_OK) {
        fprintf(stderr, "sarx_gensql: %s\n", err.message);
        return 1;
    }
    n = sarx_definition_count(ctx);
    printf("-- sarx--%s.sql: the install script of the PostgreSQL extension sarx %s.\n"
           "-- Generated at build time by ext/postgres/gen_sql.c from libsarx: do not edit.\n"
           "\\echo Use \"CREATE EXTENSION sarx\" to load this file. \\quit\n\n",
           sarx_version(), sarx_version());

    /* The definitions, in the library's order.  Upgrades only ever add
    ** values (ALTER TYPE ... ADD VALUE, docs/SQL.md). */
    printf("CREATE TYPE sarx_definition AS ENUM (");
    for (i = 0; i < n; i++)
        printf("%s\n    '%s'", i ? "," : "", sarx_definition_id(sarx_definition_at(ctx, i)));
    printf("\n);\nCOMMENT ON TYPE sarx_definition IS 'a definition sarx applies (sarx definitions lists them)';\n\n");

    fields_function();

    printf("-- The library's version (of the module the backend loaded): STABLE, not IMMUTABLE,\n"
           "-- so that it is never folded into a view, an index or a cached plan.\n"
           "CREATE FUNCTION sarx_version() RETURNS text\n"
           "    AS 'MODULE_PATHNAME', 'sarx_pg_version' LANGUAGE C STABLE STRICT PARALLEL SAFE;\n\n");

    printf("-- Scalar functions: the subject as jsonb (read directly), json or text (parsed\n"
           "-- by the library).  IMMUTABLE for a given sarx version (docs/SQL.md).\n");
    for (i = 0; i < sizeof scalar / sizeof scalar[0]; i++) {
        for (t = 0; t < 3; t++) {
            printf("CREATE FUNCTION %s(subject %s%s) RETURNS %s\n"
                   "    AS 'MODULE_PATHNAME', '%s_%s' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST %d;\n",
                   scalar[i].name, subject_types[t], scalar[i].args, scalar[i].ret, scalar[i].csym,
                   t == 0 ? "jsonb" : "text", scalar[i].cost);
            printf("COMMENT ON FUNCTION %s(%s%s) IS '%s';\n", scalar[i].name, subject_types[t], scalar[i].args,
                   scalar[i].comment);
        }
    }
    printf("\n");
    for (t = 0; t < 3; t++) {
        printf("CREATE FUNCTION sarx_results(subject %s)\n"
               "    RETURNS TABLE (definition sarx_definition, category text, complete boolean, missing text[])\n"
               "    AS 'MODULE_PATHNAME', 'sarx_pg_results_%s' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE\n"
               "    COST 1000 ROWS %zu;\n",
               subject_types[t], t == 0 ? "jsonb" : "text", n);
        printf("COMMENT ON FUNCTION sarx_results(%s) IS 'one row per definition, in the library''s order';\n",
               subject_types[t]);
    }

    printf("\n-- Aggregates.  The state is a bigint[] of counts (not internal: Citus can\n"
           "-- distribute such aggregates), updated in place inside an aggregate; the\n"
           "-- combine function adds states element by element.  PostgreSQL takes\n"
           "-- serial/deserial functions only for an internal state: a bigint[] crosses\n"
           "-- between processes as it is.\n"
           "--   prevalence: {positive, negative, undecided, not_applicable, invalid}\n"
           "--   kappa:      {both, only_a, only_b, neither, other, invalid}\n"
           "CREATE FUNCTION sarx_prevalence_sfunc(state bigint[], subject jsonb, definition sarx_definition)\n"
           "    RETURNS bigint[] AS 'MODULE_PATHNAME', 'sarx_pg_prevalence_sfunc'\n"
           "    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 50;\n"
           "CREATE FUNCTION sarx_kappa_sfunc(state bigint[], subject jsonb, definition_a sarx_definition,\n"
           "                                 definition_b sarx_definition)\n"
           "    RETURNS bigint[] AS 'MODULE_PATHNAME', 'sarx_pg_kappa_sfunc'\n"
           "    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 60;\n"
           "CREATE FUNCTION sarx_counts_add(a bigint[], b bigint[]) RETURNS bigint[]\n"
           "    AS 'MODULE_PATHNAME', 'sarx_pg_counts_add' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;\n"
           "CREATE FUNCTION sarx_prevalence_final(state bigint[]) RETURNS jsonb\n"
           "    AS 'MODULE_PATHNAME', 'sarx_pg_prevalence_final' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;\n"
           "CREATE FUNCTION sarx_kappa_final(state bigint[]) RETURNS jsonb\n"
           "    AS 'MODULE_PATHNAME', 'sarx_pg_kappa_final' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;\n\n"
           "CREATE AGGREGATE sarx_prevalence(subject jsonb, definition sarx_definition) (\n"
           "    SFUNC = sarx_prevalence_sfunc, STYPE = bigint[], INITCOND = '{0,0,0,0,0}',\n"
           "    FINALFUNC = sarx_prevalence_final, COMBINEFUNC = sarx_counts_add, PARALLEL = SAFE);\n"
           "CREATE AGGREGATE sarx_kappa(subject jsonb, definition_a sarx_definition, definition_b sarx_definition) (\n"
           "    SFUNC = sarx_kappa_sfunc, STYPE = bigint[], INITCOND = '{0,0,0,0,0,0}',\n"
           "    FINALFUNC = sarx_kappa_final, COMBINEFUNC = sarx_counts_add, PARALLEL = SAFE);\n"
           "-- Per-node states and their exact combination (postgres_fdw scale-out).\n"
           "CREATE AGGREGATE sarx_prevalence_state(subject jsonb, definition sarx_definition) (\n"
           "    SFUNC = sarx_prevalence_sfunc, STYPE = bigint[], INITCOND = '{0,0,0,0,0}',\n"
           "    COMBINEFUNC = sarx_counts_add, PARALLEL = SAFE);\n"
           "CREATE AGGREGATE sarx_prevalence_merge(state bigint[]) (\n"
           "    SFUNC = sarx_counts_add, STYPE = bigint[], INITCOND = '{0,0,0,0,0}',\n"
           "    FINALFUNC = sarx_prevalence_final, COMBINEFUNC = sarx_counts_add, PARALLEL = SAFE);\n"
           "CREATE AGGREGATE sarx_kappa_state(subject jsonb, definition_a sarx_definition, definition_b sarx_definition) (\n"
           "    SFUNC = sarx_kappa_sfunc, STYPE = bigint[], INITCOND = '{0,0,0,0,0,0}',\n"
           "    COMBINEFUNC = sarx_counts_add, PARALLEL = SAFE);\n"
           "CREATE AGGREGATE sarx_kappa_merge(state bigint[]) (\n"
           "    SFUNC = sarx_counts_add, STYPE = bigint[], INITCOND = '{0,0,0,0,0,0}',\n"
           "    FINALFUNC = sarx_kappa_final, COMBINEFUNC = sarx_counts_add, PARALLEL = SAFE);\n"
           "COMMENT ON AGGREGATE sarx_prevalence(jsonb, sarx_definition) IS "
           "'prevalence of the positive reading, with the 95 %% Wilson interval (as sarx cohort)';\n"
           "COMMENT ON AGGREGATE sarx_kappa(jsonb, sarx_definition, sarx_definition) IS "
           "'agreement of two definitions'' positive readings: the 2x2 table and Cohen''s kappa';\n"
           "COMMENT ON AGGREGATE sarx_prevalence_state(jsonb, sarx_definition) IS "
           "'the counts of sarx_prevalence, to combine with sarx_prevalence_merge';\n"
           "COMMENT ON AGGREGATE sarx_kappa_state(jsonb, sarx_definition, sarx_definition) IS "
           "'the counts of sarx_kappa, to combine with sarx_kappa_merge';\n");
    sarx_ctx_free(ctx);
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fputs("sarx_gensql: write error\n", stderr);
        return 1;
    }
    return 0;
}
