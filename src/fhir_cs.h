/*
** fhir_cs.h — sarx's own FHIR CodeSystems (docs/FHIR.md, "Out"): their
** canonical URLs and the helpers the writers (fhir_out.c) and the
** terminology (fhir_terminology.c) share, so that every code sarx emits is
** one the terminology lists.
*/
#ifndef SARX_FHIR_CS_H
#define SARX_FHIR_CS_H

#include "internal.h"

#include <jansson.h>

/* Definitions ("ewgsop2"), categories ("ewgsop2.severe_sarcopenia", and
** "ewgsop2.indeterminate"), criteria ("ewgsop2.low_strength"), the parts
** of a result that are not criteria ("complete", "missing").  Measures
** (inputs without a verified LOINC code, and the derived values) are
** SARX__FHIR_CS (internal.h). */
#define SARX__FHIR_CS_DEF "urn:sarx:fhir:CodeSystem:definition"
#define SARX__FHIR_CS_CAT "urn:sarx:fhir:CodeSystem:category"
#define SARX__FHIR_CS_CRIT "urn:sarx:fhir:CodeSystem:criterion"
#define SARX__FHIR_CS_RESULT "urn:sarx:fhir:CodeSystem:result"
#define SARX__FHIR_VS_PREFIX "urn:sarx:fhir:ValueSet:"
#define SARX__FHIR_LOINC "http://loinc.org"
#define SARX__FHIR_UCUM "http://unitsofmeasure.org"

/* A derived value's unit as UCUM ("points" -> "{score}"); "" when it has none. */
const char *sarx__fhir_ucum_of(const char *unit);
/* "def.rest" into buf (n bytes, truncated). */
void sarx__fhir_qualified(char *buf, size_t n, const char *def, const char *rest);
/* A Coding {system, code, display}; display left out when NULL or "". */
json_t *sarx__fhir_coding(const char *system, const char *code, const char *display);
/* A CodeableConcept of one Coding, text = display when given. */
json_t *sarx__fhir_concept(const char *system, const char *code, const char *display);
/* Dump a resource or Bundle: indented with SARX_RENDER_PRETTY; NULL when
** out of memory.  Consumes root. */
char *sarx__fhir_dump(json_t *root, unsigned flags);

#endif
