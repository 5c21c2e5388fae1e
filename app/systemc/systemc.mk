# app/systemc/systemc.mk - the MMU as a SystemC/TLM-2.0 component
# (docs/systemc.md).  Included by the top Makefile; C++17, as libsystemc is built.
#
#   make systemc          build/mmusim-sc: `run` and `trace` on the TLM platform
#   make test-systemc     the component's googletest suites, mmusim-sc against
#                         mmusim --cycle, the TLM model against the RTL
#   make bench-systemc    translations/s through b_transport and the RTL testbench

SC_DIR     := app/systemc
SC_FLAGS    = $(shell pkg-config --cflags systemc 2>/dev/null)
SC_LIBS     = $(shell pkg-config --libs systemc 2>/dev/null || echo -lsystemc) -pthread
# The component: what a platform links (the model, csrc/ and app/'s drivers besides).
SC_COMPONENT := $(addprefix $(BUILD)/obj/$(SC_DIR)/,mmu_tlm.o dram_tlm.o os_tlm.o)
SC_CXXFLAGS  = -std=c++17 $(WARN) -g $(DEPFLAGS) $(INC_app) -I$(SC_DIR) $(SC_FLAGS)

.PHONY: systemc deps-systemc test-systemc bench-systemc

deps-systemc:
	@sh testbench/tools/deps.sh systemc

$(BUILD)/obj/$(SC_DIR):
	mkdir -p $@
$(BUILD)/obj/$(SC_DIR)/%.o: $(SC_DIR)/%.cpp | $(BUILD)/obj/$(SC_DIR) deps-systemc
	$(CXX) $(SC_CXXFLAGS) -O2 -c $< -o $@

$(BUILD)/mmusim-sc: $(BUILD)/obj/$(SC_DIR)/mmusim_sc.o $(SC_COMPONENT) $(LIB_OBJS)
	$(CXX) $(OPT) $^ $(SC_LIBS) -o $@

# The same under ASan+UBSan (libsystemc itself is not instrumented).
SC_SAN_COMPONENT := $(SC_COMPONENT:$(BUILD)/obj/%=$(BUILD)/san/%)
$(BUILD)/san/$(SC_DIR):
	mkdir -p $@
$(BUILD)/san/$(SC_DIR)/%.o: $(SC_DIR)/%.cpp | $(BUILD)/san/$(SC_DIR) deps-systemc
	$(CXX) $(SC_CXXFLAGS) -O1 $(SAN) -c $< -o $@
$(BUILD)/mmusim-sc-san: $(BUILD)/san/$(SC_DIR)/mmusim_sc.o $(SC_SAN_COMPONENT) $(LIB_SAN_OBJS)
	$(CXX) $(SAN) $^ $(SC_LIBS) -o $@

systemc: $(BUILD)/mmusim-sc

# The bench: testbench/systemc/sc_bench.cpp, with testbench/tools/bench_map.h.
$(BUILD)/obj/testbench/systemc:
	mkdir -p $@
$(BUILD)/obj/testbench/systemc/sc_bench.o: testbench/systemc/sc_bench.cpp | $(BUILD)/obj/testbench/systemc deps-systemc
	$(CXX) $(SC_CXXFLAGS) -Itestbench/tools -O2 -c $< -o $@
$(BUILD)/sc_bench: $(BUILD)/obj/testbench/systemc/sc_bench.o $(SC_COMPONENT) $(LIB_OBJS)
	$(CXX) $(OPT) $^ $(SC_LIBS) -o $@
bench-systemc: $(BUILD)/sc_bench
	$(BUILD)/sc_bench

include testbench/systemc/tests.mk

# The component's googletest suites, plain and under the sanitizers; mmusim-sc
# against mmusim --cycle, byte for byte (testbench/regress/sc_equal.sh), plain
# and under the sanitizers; then the TLM model against the RTL (rtl_sc.mk).
test-systemc: test-systemc-unit test-systemc-san $(BUILD)/mmusim $(BUILD)/mmusim-sc $(BUILD)/mmusim-sc-san
	sh testbench/regress/sc_equal.sh $(BUILD)/mmusim $(BUILD)/mmusim-sc
	ASAN_OPTIONS=detect_leaks=1 sh testbench/regress/sc_equal.sh $(BUILD)/mmusim $(BUILD)/mmusim-sc-san
	@$(MAKE) --no-print-directory -j$(JOBS) test-systemc-rtl
