# FHIR R4 (docs/FHIR.md), included by the Makefile before `all`.
#   $(BUILD)/tests/fhir_in         the reader: a realistic Bundle, every error, --as-of (tests/fhir_in.c)
#   $(BUILD)/tests/fhir_out        the output corpus and its checks in C (tests/fhir_out.c)
#   $(BUILD)/tests/fhir_roundtrip  subject -> FHIR Bundle -> sarx_fhir_read -> the same results
#   $(BUILD)/tools/fhir-terminology  writes docs/fhir/ (CodeSystems, ValueSets); --check: stale?
#   make fhir-docs                 regenerate docs/fhir/
# tests/cli/fhir_validate.sh runs the corpus through both offline
# validators (tests/fhir/validate.mjs; `npm ci` in tests/fhir).
TESTS += $(BUILD)/tests/fhir_in $(BUILD)/tests/fhir_out $(BUILD)/tests/fhir_roundtrip $(BUILD)/tools/fhir-terminology

$(BUILD)/tools/fhir-terminology: tools/fhir-terminology.c include/sarx.h $(BUILD)/libsarx.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ $< $(BUILD)/libsarx.a $(LDLIBS)

.PHONY: fhir-docs
fhir-docs: $(BUILD)/tools/fhir-terminology
	@mkdir -p docs/fhir
	rm -f docs/fhir/*.json
	$(BUILD)/tools/fhir-terminology docs/fhir
