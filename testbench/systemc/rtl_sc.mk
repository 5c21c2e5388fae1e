# testbench/systemc/rtl_sc.mk - the SystemC testbench of the RTL: the TLM
# component (app/systemc/) around the golden model and around the verilated
# RTL, the same transactions to both, compared per transaction
# (testbench/systemc/sc_rtl_tb.cpp).  Included by the top Makefile after
# rtl/rtl.mk and app/systemc/systemc.mk, whose presets, objects and flags it uses.
#
#   make test-systemc-rtl    every preset of RTL_PRESETS: random (>= 100k
#                            translations in all), every vector file, every
#                            workload of traces/ and traces/diff/ and a trace
#                            prefix through the OS, whose output must equal
#                            mmusim --cycle's
#   make bench-systemc-rtl   translations/s through the RTL testbench
#
# One binary per preset, $(RTL_DIR)/PRESET/sc_tb.  The RTL is verilated as a
# C++ model (--cc), not as a SystemC module (--sc): testbench/systemc/rtl_engine.h
# says why.

SC_TB_DIR  := testbench/systemc
# The testbench's own sources: two compiled per preset (the preset's Vmmu_top.h,
# its configuration's name), two once ...
SC_TB_OWN  := sc_rtl_tb rtl_engine
SC_TB_COMMON := $(addprefix $(RTL_DIR)/sc/,sc_drivers.o sc_pair.o)
# ... linked with what the preset's lockstep build has already compiled in its
# Mdir (the verilated model, Verilator's runtime and the shared harness
# units), so that the RTL is verilated and compiled once per preset, not twice.
SC_TB_FROM_LS := rtl_port.o random_stim.o vec_run.o rtl_os.o verilated.o verilated_fst_c.o verilated_threads.o \
                 Vmmu_top__ALL.a
SC_TB_VROOT = $(shell $(VERILATOR) --getenv VERILATOR_ROOT)
# The lockstep Mdir's defines (a --cc model with FST tracing); Verilator's headers
# and the generated ones are system headers here (they trip -Wextra).
SC_TB_CXXFLAGS = -std=c++17 -O2 -g -Wall -Wextra -Werror -MMD -MP -isystem $(SC_TB_VROOT)/include \
                 -isystem $(SC_TB_VROOT)/include/vltstd -DVM_COVERAGE=0 -DVM_SC=0 -DVM_TRACE=1 -DVM_TRACE_FST=1 \
                 -DVM_TRACE_VCD=0 -I$(RTL_MODEL_DIR) -Icsrc -Iapp -Iapp/systemc -I$(LS_DIR) -I$(SC_TB_DIR) $(SC_FLAGS)
SC_TB_HDRS := $(addprefix $(SC_TB_DIR)/,sc_drivers.h sc_pair.h rtl_engine.h) \
              $(addprefix $(LS_DIR)/,rtl_port.h random_stim.h vec_run.h rtl_os.h history.h dram_pair.h) \
              $(addprefix app/systemc/,mmu_tlm.h dram_tlm.h)
# Random stimulus per preset (7 presets x 8 seeds x 5000 = 280k) and the trace prefix.
SC_TB_SEEDS ?= 8
SC_TB_REQS  ?= 5000
SC_TB_TRACE_REFS ?= 400000
SC_TB_TRACE_FRAMES ?= 64
SC_TB_TRACE_OPTS = --max-refs $(SC_TB_TRACE_REFS) --set os.user_frames=$(SC_TB_TRACE_FRAMES) --stats json
SC_TB_BENCH_CFG ?= default

.PHONY: test-systemc-rtl bench-systemc-rtl

$(RTL_DIR)/sc/%.o: $(SC_TB_DIR)/%.cpp $(SC_TB_HDRS) | deps-systemc
	@mkdir -p $(@D)
	$(CXX) $(SC_TB_CXXFLAGS) -c $< -o $@

define SC_TB_RULE
$(RTL_DIR)/$(1)/sc_tb_cfg.h: | $(RTL_DIR)/$(1)/params
	printf '#define SC_TB_CONFIG "$(call rtl_cfg,$(1))"\n#define SC_TB_BIN "$(RTL_DIR)/$(1)/sc_tb"\n' > $$@
$(RTL_DIR)/$(1)/sc/%.o: $(SC_TB_DIR)/%.cpp $(SC_TB_HDRS) $(RTL_DIR)/$(1)/sc_tb_cfg.h $(RTL_DIR)/$(1)/lockstep | deps-systemc
	@mkdir -p $$(@D)
	$(CXX) $(SC_TB_CXXFLAGS) -isystem $(RTL_DIR)/$(1)/obj -include $(RTL_DIR)/$(1)/sc_tb_cfg.h -c $$< -o $$@
$(RTL_DIR)/$(1)/sc_tb: $(SC_TB_OWN:%=$(RTL_DIR)/$(1)/sc/%.o) $(SC_TB_COMMON) $(RTL_DIR)/$(1)/lockstep \
                       $(BUILD)/obj/$(SC_DIR)/mmu_tlm.o $(BUILD)/obj/$(SC_DIR)/dram_tlm.o $(RTL_MODEL_OBJS)
	$(CXX) $$(filter %.o,$$^) $(addprefix $(RTL_DIR)/$(1)/obj/,$(SC_TB_FROM_LS)) -lz $(SC_LIBS) -latomic -o $$@
endef
$(foreach p,$(RTL_PRESETS),$(eval $(call SC_TB_RULE,$(p))))

# Per preset: random, the vectors, then the OS: testbench/lockstep/rtl_workloads.sh
# with the testbench as its simulator (expected lines, every workload's output
# equal to `mmusim run --cycle`'s, a workload changing the MMU refused) and the
# trace prefix, whose output must equal `mmusim trace --cycle`'s.
test-systemc-rtl: $(MMUSIM_RTL) $(foreach p,$(RTL_PRESETS),$(RTL_DIR)/$(p)/sc_tb)
	@start=$$(date +%s); for p in $(RTL_PRESETS); do \
	    t0=$$(date +%s); tb=$(RTL_DIR)/$$p/sc_tb; \
	    cfg=$$(ls configs/$$p.cfg $(LS_DIR)/rtl_configs/$$p.cfg 2>/dev/null | head -n 1); \
	    $$tb random --seed 1 --seeds $(SC_TB_SEEDS) --requests $(SC_TB_REQS) || exit 1; \
	    $$tb vectors $(VECTORS) || exit 1; \
	    sh $(LS_DIR)/rtl_workloads.sh $$tb $(MMUSIM_RTL) $$cfg || exit 1; \
	    $$tb trace $(DEMO_TRACE) $(SC_TB_TRACE_OPTS) > $(RTL_DIR)/$$p/sc_trace.out || exit 1; \
	    $(MMUSIM_RTL) trace --cycle --config $$cfg $(SC_TB_TRACE_OPTS) $(DEMO_TRACE) | cmp - $(RTL_DIR)/$$p/sc_trace.out \
	        || { echo "sc_tb $$p: the trace's output differs from mmusim trace --cycle"; exit 1; }; \
	    echo "sc_tb $$p: trace output identical to mmusim trace --cycle; $$(($$(date +%s) - t0)) s"; \
	done; echo "make test-systemc-rtl: $(words $(RTL_PRESETS)) presets, 0 mismatches, $$(($$(date +%s) - start)) s"

bench-systemc-rtl: $(RTL_DIR)/$(SC_TB_BENCH_CFG)/sc_tb
	$(RTL_DIR)/$(SC_TB_BENCH_CFG)/sc_tb random --seed 1 --seeds 4 --requests 10000
