# studies.mk - architecture studies on traces (docs/traces.md, docs/studies.md):
# the trace formats and run options, sweeps, the L1 TLB against Dinero IV's
# count and an independent one, `make study` and the trace speed figures.
# Included by the Makefile; uses its BUILD, CC and WARN.

# The independent miss count of the Dinero comparison: a host tool, not part of the model.
$(BUILD)/tlbcount: testbench/ref/tlbcount.c
	@mkdir -p $(BUILD)
	$(CC) -std=c11 $(WARN) -O2 $< -o $@

# The damage the trace-reader fuzzing does: a host tool, not part of the model.
$(BUILD)/mutate: testbench/tools/mutate.c
	@mkdir -p $(BUILD)
	$(CC) -std=c11 $(WARN) -O2 $< -o $@

# A small real trace for the sweep checks: the first 200,000 lines of the bundled one.
$(BUILD)/sweep.lackey: $(DEMO_TRACE)
	@mkdir -p $(BUILD)
	gzip -dc $< | head -n 200000 >$@

.PHONY: test-traces study bench-trace fuzz-traces
# Every format and option of `mmusim trace`, malformed records, sweeps and merges, and the
# L1 TLB's misses against Dinero IV (when on PATH) and a stack-distance count.
test-traces: $(BUILD)/mmusim $(BUILD)/tlbcount $(BUILD)/sweep.lackey
	sh testbench/regress/trace_runs.sh $(BUILD)/mmusim
	sh testbench/regress/bad_traces.sh $(BUILD)/mmusim
	sh testbench/regress/sweep_check.sh $(BUILD)/mmusim $(BUILD)/sweep.lackey
	sh testbench/regress/dinero_equiv.sh $(BUILD)/mmusim $(BUILD)/tlbcount
	sh testbench/regress/dinero_equiv.sh --self-check $(BUILD)/mmusim $(BUILD)/tlbcount

# Real traces of a few programs, sweeps over them, plots and a report in docs/results/.
study: deps-study
	@$(MAKE) --no-print-directory -s -j$(JOBS) $(BUILD)/mmusim
	sh testbench/tools/study.sh $(BUILD)/mmusim $(BUILD)/study docs/results

# References per second from din text and from mmt, beside Dinero IV when on PATH.
bench-trace: $(BUILD)/mmusim
	sh testbench/tools/bench_trace.sh $(BUILD)/mmusim $(BUILD)/bench-trace

# The trace readers on 5000 damaged traces under ASan+UBSan (make test-san runs 300).
fuzz-traces: $(BUILD)/mmusim-san $(BUILD)/mutate
	sh testbench/regress/fuzz_traces.sh $(BUILD)/mmusim-san $(BUILD)/mutate 5000
