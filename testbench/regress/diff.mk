# diff.mk - the differential test of `mmusim run` against the host's Linux kernel
# (docs/workload.md, "Differential test against Linux").  Included by the Makefile;
# uses its BUILD, CC and WARN.
#
# host_run is a host tool, not part of the model: plain build, no -Imodel, and
# _GNU_SOURCE for MAP_ANONYMOUS, SCM_RIGHTS, prctl and getline under -std=c11.

$(BUILD)/host_run: testbench/tools/host_run.c
	@mkdir -p $(BUILD)
	$(CC) -std=c11 $(WARN) -D_GNU_SOURCE -O2 -g $< -o $@

.PHONY: test-diff test-diff-host
# Every traces/diff/*.wl on Linux and on the simulator; exit 1 on any difference.
test-diff: $(BUILD)/host_run $(BUILD)/mmusim
	sh testbench/regress/diff_host.sh $(BUILD)/mmusim $(BUILD)/host_run

# Linux alone against the expected output written in the scenarios (no simulator needed).
test-diff-host: $(BUILD)/host_run
	sh testbench/regress/diff_host.sh --expected $(BUILD)/host_run
