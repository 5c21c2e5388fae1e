# rtl/rtl.mk - the RTL of the MMU (rtl/*.v) and its lockstep harness against
# the golden model (testbench/lockstep/*.cpp).  Included by the top Makefile;
# everything is built under $(BUILD)/rtl.  docs/rtl.md explains the targets:
#
#   make lint-rtl    verilator --lint-only -Wall, every configuration
#   make lint-encodings   rtl/mmu_defs.vh against the model's C headers, perm_ok
#                    against ptw_perm_ok on every input
#   make test-rtl    both lints + lockstep: random (>= 1M requests over the
#                    configurations), fill (directed: every TLB way and page
#                    level hit), every vector file and every workload (through
#                    the fault handler of csrc/) under every configuration, the
#                    bundled trace, then the mutant subset MUTANTS_TEST
#   make mutants     deliberate RTL bugs in a scratch copy; lockstep must fail on each
#   make coverage    line/toggle coverage and functional points (random, fill, vectors)
#   make wave TEST="PRESET ARGS"   FST of one lockstep run
#   make synth       Yosys: cells, flip-flops, memory bits per instance, every preset
#   make bench-rtl   simulated cycles/s, RTL alone and in lockstep

RTL_DIR      := $(BUILD)/rtl
RTL_SRCS     := rtl/mmu_top.v rtl/mmu_tlb.v rtl/mmu_ptw.v
# the encodings and PTE functions every module includes (found through -Irtl)
RTL_DEFS     := rtl/mmu_defs.vh
RTL_VLT      := rtl/mmu.vlt
LS_DIR       := testbench/lockstep
# Configurations with a lockstep build: the presets, plus $(LS_DIR)/rtl_configs
# (small structures with the policies and shapes no preset has).
RTL_EXTRA_CFGS := $(wildcard $(LS_DIR)/rtl_configs/*.cfg)
RTL_PRESETS  := $(basename $(notdir $(PRESETS) $(RTL_EXTRA_CFGS)))
rtl_cfg = $(firstword $(wildcard configs/$(1).cfg $(LS_DIR)/rtl_configs/$(1).cfg))
# The golden model's sources (RTL_MODEL_DIR=DIR points at another copy, e.g. a
# snapshot of a commit while model/ is being edited).
RTL_MODEL_DIR ?= model
# The model, the operating system of csrc/ and the front ends' drivers
# (app/ but its command line), which run workloads and traces on the pair.
RTL_MODEL_OBJS := $(patsubst $(RTL_MODEL_DIR)/%.c,$(RTL_DIR)/model/%.o,$(wildcard $(RTL_MODEL_DIR)/*.c)) \
                  $(patsubst %.c,$(RTL_DIR)/%.o,$(wildcard csrc/*.c) $(filter-out app/mmusim.c,$(wildcard app/*.c)))
LS_SRCS      := $(addprefix $(LS_DIR)/,lockstep.cpp lockstep_main.cpp lockstep_os.cpp lockstep_fill.cpp rtl_port.cpp random_stim.cpp vec_run.cpp rtl_os.cpp)
LS_HDRS      := $(LS_DIR)/lockstep.h $(LS_DIR)/rtl_port.h $(LS_DIR)/random_stim.h $(LS_DIR)/vec_run.h $(LS_DIR)/history.h $(LS_DIR)/rtl_os.h
VERILATOR    ?= verilator
VFLAGS       := --cc --exe --build -j 2 -Irtl --top-module mmu_top --x-assign unique --x-initial unique \
                -MAKEFLAGS OPT_FAST=-O2 -CFLAGS -O2 -CFLAGS -std=c++17 -CFLAGS -I$(abspath $(RTL_MODEL_DIR)) \
                -CFLAGS -I$(abspath csrc) -CFLAGS -I$(abspath app) -CFLAGS -I$(abspath $(LS_DIR))
# Random requests per configuration (6 x 180000 >= 1M) and the trace prefix.
RTL_SEEDS    ?= 18
RTL_REQS     ?= 10000
RTL_TRACE_REFS ?= 400000
RTL_TRACE_PRESET ?= default
# User frames for the trace on the pair: few enough that it swaps.
RTL_TRACE_FRAMES ?= 64
MMUSIM_RTL   := $(BUILD)/mmusim

.PHONY: lint-rtl lint-encodings test-rtl test-rtl-run mutants mutants-test coverage wave synth bench-rtl rtl-bins

$(RTL_DIR)/model $(RTL_DIR)/csrc $(RTL_DIR)/app:
	mkdir -p $@
$(RTL_DIR)/model/%.o: $(RTL_MODEL_DIR)/%.c | $(RTL_DIR)/model
	$(CC) -std=c11 -O2 -g -MMD -MP -I$(RTL_MODEL_DIR) -c $< -o $@
$(RTL_DIR)/csrc/%.o: csrc/%.c | $(RTL_DIR)/csrc
	$(CC) -std=c11 -O2 -g -MMD -MP -I$(RTL_MODEL_DIR) -Icsrc -c $< -o $@
$(RTL_DIR)/app/%.o: app/%.c | $(RTL_DIR)/app
	$(CC) -std=c11 -O2 -g -MMD -MP $(RTL_APP_DEFS) -I$(RTL_MODEL_DIR) -Icsrc -Iapp -c $< -o $@
# The pair's statistics records name the build as mmusim's do (the Makefile's version stamp).
$(RTL_DIR)/app/report.o: RTL_APP_DEFS = -DMMUSIM_VERSION='"$(MMUSIM_VERSION)"'
$(RTL_DIR)/app/report.o: $(BUILD)/version

# Parameters of a preset: one -G option per line, from `mmusim config`.  Every
# Verilator build depends on a params file, so its order-only deps-rtl makes
# sure verilator is installed (or named) first.
define PARAMS_RULE
$(RTL_DIR)/$(1)/params: $(call rtl_cfg,$(1)) $(MMUSIM_RTL) | deps-rtl
	@mkdir -p $$(@D)
	$(MMUSIM_RTL) config --config $$< --rtl-params > $$@.tmp && mv $$@.tmp $$@
endef
$(foreach p,$(RTL_PRESETS),$(eval $(call PARAMS_RULE,$(p))))

lint-rtl: $(foreach p,$(RTL_PRESETS),$(RTL_DIR)/$(p)/params)
	@for p in $(RTL_PRESETS); do \
	    $(VERILATOR) --lint-only -Wall -Irtl $(RTL_VLT) $(RTL_SRCS) --top-module mmu_top \
	        $$(cat $(RTL_DIR)/$$p/params) || exit 1; \
	    echo "lint $$p: clean"; \
	done

# C and RTL encodings (testbench/tools/encodings.c): every localparam of
# $(RTL_DEFS) against model/riscv_vm.h, xlate.h and config.h by name, and
# perm_ok against the model's ptw_perm_ok on all 4096 inputs (the truth table
# printed by a verilated testbench/tools/perm_ok_table.sv).  Fails with
# "FILE:LINE: RTL X = a, C Y = b".
ENC_DIR := $(RTL_DIR)/encodings
$(ENC_DIR):
	mkdir -p $@
$(ENC_DIR)/encodings.o: testbench/tools/encodings.c | $(ENC_DIR)
	$(CC) -std=c11 -Wall -Wextra -Werror -O2 -g -MMD -MP -I$(RTL_MODEL_DIR) -c $< -o $@
$(ENC_DIR)/encodings: $(ENC_DIR)/encodings.o $(filter $(RTL_DIR)/model/%,$(RTL_MODEL_OBJS))
	$(CC) $^ -o $@
$(ENC_DIR)/perm_ok_table: testbench/tools/perm_ok_table.sv $(RTL_DEFS) $(RTL_VLT) | $(ENC_DIR) deps-rtl
	+$(VERILATOR) --binary -j 2 -Wall -Irtl --top-module perm_ok_table --Mdir $(ENC_DIR)/obj \
	    $(RTL_VLT) testbench/tools/perm_ok_table.sv -o $(abspath $@) > $(ENC_DIR)/build.log 2>&1 \
	    || { tail -30 $(ENC_DIR)/build.log; exit 1; }
lint-encodings: $(ENC_DIR)/encodings $(ENC_DIR)/perm_ok_table
	@$(ENC_DIR)/perm_ok_table > $(ENC_DIR)/perm_ok.txt
	@$(ENC_DIR)/encodings $(RTL_DEFS) $(ENC_DIR)/perm_ok.txt

# One lockstep binary per preset: $(RTL_DIR)/PRESET/lockstep
define LOCKSTEP_RULE
$(RTL_DIR)/$(1)/lockstep: $(RTL_SRCS) $(RTL_DEFS) $(RTL_VLT) $(LS_SRCS) $(LS_HDRS) $(RTL_MODEL_OBJS) $(RTL_DIR)/$(1)/params
	@printf '#define LOCKSTEP_CONFIG "$(call rtl_cfg,$(1))"\n#define LOCKSTEP_BIN "$(RTL_DIR)/$(1)/lockstep"\n' > $(RTL_DIR)/$(1)/lockstep_cfg.h
	+$(VERILATOR) $(VFLAGS) --trace-fst $$(RTL_EXTRA) -CFLAGS -include -CFLAGS $(abspath $(RTL_DIR)/$(1)/lockstep_cfg.h) \
	    --Mdir $(RTL_DIR)/$(1)/obj $$$$(cat $(RTL_DIR)/$(1)/params) $(RTL_VLT) $(RTL_SRCS) \
	    $(abspath $(LS_SRCS)) $(abspath $(RTL_MODEL_OBJS)) -o $(abspath $(RTL_DIR)/$(1)/lockstep) > $(RTL_DIR)/$(1)/build.log 2>&1 \
	    || { tail -30 $(RTL_DIR)/$(1)/build.log; exit 1; }
endef
$(foreach p,$(RTL_PRESETS),$(eval $(call LOCKSTEP_RULE,$(p))))

rtl-bins: $(foreach p,$(RTL_PRESETS),$(RTL_DIR)/$(p)/lockstep)

test-rtl: lint-rtl lint-encodings
	@$(MAKE) --no-print-directory -j$(JOBS) rtl-bins
	@$(MAKE) --no-print-directory test-rtl-run
	@$(MAKE) --no-print-directory mutants-test

test-rtl-run:
	@for p in $(RTL_PRESETS); do \
	    $(RTL_DIR)/$$p/lockstep random --seed 1 --seeds $(RTL_SEEDS) --requests $(RTL_REQS) || exit 1; \
	    $(RTL_DIR)/$$p/lockstep fill || exit 1; \
	    $(RTL_DIR)/$$p/lockstep vectors $(VECTORS) || exit 1; \
	    sh $(LS_DIR)/vectors_selfcheck.sh $(RTL_DIR)/$$p/lockstep || exit 1; \
	    sh $(LS_DIR)/rtl_workloads.sh $(RTL_DIR)/$$p/lockstep $(MMUSIM_RTL) \
	        $$(ls configs/$$p.cfg $(LS_DIR)/rtl_configs/$$p.cfg 2>/dev/null | head -n 1) || exit 1; \
	done
	$(RTL_DIR)/$(RTL_TRACE_PRESET)/lockstep trace $(DEMO_TRACE) --max-refs $(RTL_TRACE_REFS) \
	    --set os.user_frames=$(RTL_TRACE_FRAMES) --stats none
	@echo "make test-rtl: lint clean, lockstep 0 mismatches"

# Deliberate RTL bugs (rtl/mutants.txt): each must make the lockstep fail.
# `make mutants` runs all of them (MUTANTS="NAME ..." a few); `make
# mutants-test`, part of test-rtl, runs MUTANTS_TEST: one or more of every
# kind of bug, in every file of rtl/ (rtl/mutants.sh refuses a subset that
# misses one), mostly on the default preset, whose build is the quickest.
MUTANTS_TEST ?= perm-s-fetches-u-page superpage-mask+1 pointer-adu-accepted access-fault-as-page \
                ad-write-without-d asid-fence-drops-global fence-in-flight-ignored \
                l2-hit-not-copied-to-l1 walk-starts-late victim-off-by-one-plru \
                lookup-ignores-global split-l1-wrong-side
MUTANT_CFGS := $(sort $(shell grep -v '^\#' rtl/mutants.txt | awk -F ' *@@ *' 'NF >= 6 { print $$4 }'))
mutants: $(foreach c,$(MUTANT_CFGS),$(RTL_DIR)/$(c)/lockstep)
	@RTL_MODEL_DIR=$(RTL_MODEL_DIR) LS_SRCS="$(abspath $(LS_SRCS))" LS_OBJS="$(abspath $(RTL_MODEL_OBJS))" \
	    MUTANTS="$(MUTANTS)" sh rtl/mutants.sh $(RTL_DIR)
mutants-test:
	@$(MAKE) --no-print-directory mutants MUTANTS="$(MUTANTS_TEST)"

# Coverage: Verilator line/toggle/user coverage plus the functional points the
# harness samples ($(LS_DIR)/lockstep_cov.vlt), one build per configuration;
# `fill` reaches the TLB ways and page levels random requests seldom hit.
RTL_COV_SEEDS ?= 12
RTL_COV_REQS  ?= 10000
define COV_RULE
$(RTL_DIR)/cov/$(1)/lockstep: $(RTL_SRCS) $(RTL_DEFS) $(RTL_VLT) $(LS_DIR)/lockstep_cov.vlt $(LS_SRCS) $(LS_HDRS) $(RTL_MODEL_OBJS) $(RTL_DIR)/$(1)/params
	@mkdir -p $(RTL_DIR)/cov/$(1)
	@printf '#define LOCKSTEP_CONFIG "$(call rtl_cfg,$(1))"\n#define LOCKSTEP_BIN "$(RTL_DIR)/cov/$(1)/lockstep"\n' > $(RTL_DIR)/cov/$(1)/lockstep_cfg.h
	+$(VERILATOR) $(VFLAGS) --coverage --trace-fst -CFLAGS -DLOCKSTEP_COV -CFLAGS -include -CFLAGS $(abspath $(RTL_DIR)/cov/$(1)/lockstep_cfg.h) \
	    --Mdir $(RTL_DIR)/cov/$(1)/obj $$$$(cat $(RTL_DIR)/$(1)/params) $(RTL_VLT) $(LS_DIR)/lockstep_cov.vlt $(RTL_SRCS) \
	    $(abspath $(LS_SRCS)) $(abspath $(RTL_MODEL_OBJS)) -o $(abspath $(RTL_DIR)/cov/$(1)/lockstep) > $(RTL_DIR)/cov/$(1)/build.log 2>&1 \
	    || { tail -30 $(RTL_DIR)/cov/$(1)/build.log; exit 1; }
endef
$(foreach p,$(RTL_PRESETS),$(eval $(call COV_RULE,$(p))))

coverage: $(foreach p,$(RTL_PRESETS),$(RTL_DIR)/$(p)/params)
	@$(MAKE) --no-print-directory -j$(JOBS) $(foreach p,$(RTL_PRESETS),$(RTL_DIR)/cov/$(p)/lockstep)
	@for p in $(RTL_PRESETS); do \
	    rm -f $(RTL_DIR)/cov/$$p/points $(RTL_DIR)/cov/$$p/points.*.dat; \
	    $(RTL_DIR)/cov/$$p/lockstep random --seed 1 --seeds $(RTL_COV_SEEDS) --requests $(RTL_COV_REQS) \
	        --cov $(RTL_DIR)/cov/$$p/points || exit 1; \
	    $(RTL_DIR)/cov/$$p/lockstep fill --cov $(RTL_DIR)/cov/$$p/points || exit 1; \
	    $(RTL_DIR)/cov/$$p/lockstep vectors $(VECTORS) --cov $(RTL_DIR)/cov/$$p/points || exit 1; \
	done
	sh rtl/covreport.sh $(RTL_DIR)/cov $(RTL_PRESETS)

# Waveform of one lockstep run: make wave TEST="CONFIG MODE ARGS..."
TEST ?= default random --seed 1 --seeds 1 --requests 200
wave: $(RTL_DIR)/$(firstword $(TEST))/lockstep
	$(RTL_DIR)/$(firstword $(TEST))/lockstep $(wordlist 2,99,$(TEST)) --wave $(RTL_DIR)/wave.fst; \
	    echo "waveform: $(RTL_DIR)/wave.fst  (gtkwave $(RTL_DIR)/wave.fst)"

# Synthesis with Yosys, every preset: RTL cells, gates, flip-flops and memory
# bits per instance.  A TLB of SYNTH_MEM_MIN entries or more stays a $mem
# (memory bits), and a preset with one gets no gate mapping unless
# SYNTH_GATES=yes (rtl/synth.sh says why).
SYNTH_MEM_MIN ?= 256
SYNTH_GATES   ?= auto
synth: $(foreach p,$(basename $(notdir $(PRESETS))),$(RTL_DIR)/$(p)/params) | deps-synth
	@start=$$(date +%s); for p in $(basename $(notdir $(PRESETS))); do \
	    SYNTH_MEM_MIN=$(SYNTH_MEM_MIN) SYNTH_GATES=$(SYNTH_GATES) \
	    sh rtl/synth.sh $(RTL_DIR)/synth/$$p $(RTL_DIR)/$$p/params $(RTL_SRCS) || exit 1; \
	done; echo "make synth: $(words $(PRESETS)) presets in $$(($$(date +%s) - start)) s"

# Simulated cycles/s: the RTL alone ($(LS_DIR)/rtl_bench.cpp) and in lockstep.
RTL_BENCH_CFG ?= default
$(RTL_DIR)/bench/$(RTL_BENCH_CFG)/rtl_bench: $(RTL_SRCS) $(RTL_DEFS) $(RTL_VLT) $(LS_DIR)/rtl_bench.cpp $(RTL_MODEL_OBJS) $(RTL_DIR)/$(RTL_BENCH_CFG)/params
	@mkdir -p $(@D)
	@printf '#define LOCKSTEP_CONFIG "$(call rtl_cfg,$(RTL_BENCH_CFG))"\n' > $(@D)/bench_cfg.h
	+$(VERILATOR) $(VFLAGS) -CFLAGS -include -CFLAGS $(abspath $(@D)/bench_cfg.h) --Mdir $(@D)/obj \
	    $$(cat $(RTL_DIR)/$(RTL_BENCH_CFG)/params) $(RTL_VLT) $(RTL_SRCS) $(abspath $(LS_DIR)/rtl_bench.cpp) \
	    $(abspath $(RTL_MODEL_OBJS)) -o $(abspath $@) > $(@D)/build.log 2>&1 \
	    || { tail -30 $(@D)/build.log; exit 1; }
bench-rtl: $(RTL_DIR)/bench/$(RTL_BENCH_CFG)/rtl_bench $(RTL_DIR)/$(RTL_BENCH_CFG)/lockstep
	$(RTL_DIR)/bench/$(RTL_BENCH_CFG)/rtl_bench 20000000
	$(RTL_DIR)/$(RTL_BENCH_CFG)/lockstep random --seed 1 --seeds 20 --requests 10000 | tail -1
