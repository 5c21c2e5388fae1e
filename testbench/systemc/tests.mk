# testbench/systemc/tests.mk - the SystemC component's googletest suites
# (test_sc_*.cc with sc_fixture.cc), built on the component, the model and
# the MMU fixtures of testbench/unit.  Included by app/systemc/systemc.mk,
# whose variables and object rules it uses.
#
#   make test-systemc-unit   $(BUILD)/test_systemc
#   make test-systemc-san    $(BUILD)/test_systemc-san, the same under ASan+UBSan

SC_TEST_DIR  := testbench/systemc
SC_TEST_OBJS := $(patsubst %.cc,%.o,$(wildcard $(SC_TEST_DIR)/test_sc_*.cc) $(SC_TEST_DIR)/sc_fixture.cc)
# mmu_fixture's Sim and page-table builder, mmu_world's random worlds and
# streams, and the reference code mmu_world uses.
SC_TEST_SHARED := testbench/unit/mmu_fixture.o testbench/unit/mmu_world.o \
                  testbench/ref/ref_mmu.o testbench/ref/ref_assoc.o testbench/ref/ref_dram.o
SC_TEST_CXXFLAGS = $(SC_CXXFLAGS) $(INC_test) -I$(SC_TEST_DIR) $(GTEST_FLAGS)
# gtest without gtest_main: libsystemc's main() calls the suites' sc_main.
SC_GTEST_LIBS = $(shell pkg-config --libs gtest 2>/dev/null || echo -lgtest -pthread)
# libsystemc prints its banner before sc_main, unless told not to.
SC_TEST_ENV  := SYSTEMC_DISABLE_COPYRIGHT_MESSAGE=1

$(BUILD)/san/$(SC_TEST_DIR):
	mkdir -p $@
$(BUILD)/obj/$(SC_TEST_DIR)/%.o: $(SC_TEST_DIR)/%.cc | $(BUILD)/obj/$(SC_TEST_DIR) deps-test
	$(CXX) $(SC_TEST_CXXFLAGS) -O1 -c $< -o $@
$(BUILD)/san/$(SC_TEST_DIR)/%.o: $(SC_TEST_DIR)/%.cc | $(BUILD)/san/$(SC_TEST_DIR) deps-test
	$(CXX) $(SC_TEST_CXXFLAGS) -O1 $(SAN) -c $< -o $@

$(BUILD)/test_systemc: $(addprefix $(BUILD)/obj/,$(SC_TEST_OBJS) $(SC_TEST_SHARED)) $(SC_COMPONENT) $(LIB_OBJS)
	$(CXX) $(OPT) $^ $(SC_LIBS) $(SC_GTEST_LIBS) -o $@
$(BUILD)/test_systemc-san: $(addprefix $(BUILD)/san/,$(SC_TEST_OBJS) $(SC_TEST_SHARED)) $(SC_SAN_COMPONENT) \
                           $(LIB_SAN_OBJS)
	$(CXX) $(SAN) $^ $(SC_LIBS) $(SC_GTEST_LIBS) -o $@

.PHONY: test-systemc-unit test-systemc-san
test-systemc-unit: $(BUILD)/test_systemc
	$(SC_TEST_ENV) $(BUILD)/test_systemc
test-systemc-san: $(BUILD)/test_systemc-san
	$(SC_TEST_ENV) ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
	    $(BUILD)/test_systemc-san
