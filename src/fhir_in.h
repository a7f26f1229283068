/*
** fhir_in.h — private to the FHIR reader (fhir_in.c, fhir_pick.c,
** fhir_info.c): what one sarx_fhir_read call collects.
*/
#ifndef SARX_FHIR_IN_H
#define SARX_FHIR_IN_H

#include "internal.h"

#include <jansson.h>

struct sarx_fhir_info {
    char as_of[11];
    const char *as_of_source;
    char *patient;
    char **src, **note;
    size_t nsrc, capsrc, nnote, capnote;
};

/* One Observation that counts, before the choice of values. */
typedef struct sarx_fhir__obs {
    const sarx__fhir_code *row;
    const char *type; /* "Observation", or "QuestionnaireResponse" for a SARC-F answer */
    size_t entry;
    const char *id;   /* "" when none */
    const char *full; /* entry.fullUrl, "" when none */
    int day;
    int timed;        /* 1 when the effective dateTime has a time and a zone: at is its instant */
    long long at;     /* seconds since 1970-01-01T00:00Z */
    int kind;         /* 0 number, 1 bool, 2 text */
    double v;
    const char *text;
    int canon;        /* canonical field */
    int used;
} obs;

/* A Condition that counts, kept until the assessment date is known: a
** condition whose onset (else its recordedDate) is after that date, or
** that abated on or before it, was not present then (fhir_pick.c). */
typedef struct sarx_fhir__cond {
    char item[80];      /* "icd10:CODE", or "" when words name it */
    const char *words;  /* SNOMED CT's display or the text (in the Bundle's tree) */
    char name[96];      /* "Condition/id" for notes and errors */
    size_t entry;
    int onset;          /* the day of onset, else of recordedDate; INT_MIN when neither is a full date */
    const char *onset_from; /* "onset" or "recorded" */
    int abated;         /* the day of abatement; INT_MIN when none */
} cond;

typedef struct sarx_fhir__rd {
    sarx_fhir_info *info;
    sarx_error *err;
    sarx_subject *s;
    const char *pid, *pfull; /* the Patient's id and fullUrl */
    const char *ref;         /* the first subject reference, without a Patient */
    size_t pentry;
    int have_patient;
    json_t *patient;
    obs *o;
    size_t no, cap;
    cond *c;
    size_t nc, capc;
} rd;

/* fhir_info.c: append a note (returns SARX_OK; a note lost to no memory is
** dropped), a source, the patient's id. */
int sarx_fhir__note(sarx_fhir_info *info, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
int sarx_fhir__add_source(sarx_fhir_info *info, const char *ref);
int sarx_fhir__set_patient(sarx_fhir_info *info, const char *id);
sarx_fhir_info *sarx_fhir__info_new(void);

/* The canonical URL of sarx's SARC-F Questionnaire: a QuestionnaireResponse
** to it is read, each item whose linkId is a SARC-F field (sarc_f,
** sarc_f_strength, ...) as that field's value (docs/FHIR.md). */
#define SARX__FHIR_Q_SARCF "urn:sarx:fhir:Questionnaire:sarc-f"

/* fhir_in.c */
int sarx_fhir__day_of(const char *t, int *day);
/* The instant of a dateTime with a time and a zone ("2026-03-01T16:00:00Z",
** "...+02:00"), in seconds since 1970-01-01T00:00Z: 1, or 0 when it has
** none (a date, or no zone). */
int sarx_fhir__instant_of(const char *t, int day, long long *at);
/* fhir_pick.c: choose the values, fill the subject, finish it. */
int sarx_fhir__pick(rd *r, const char *as_of);

#endif
