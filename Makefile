# mmusim - cycle-level MMU/TLB model.  `make demo` and `make test` are the
# two commands a newcomer needs; `make help` lists the rest.

BUILD   ?= build
CC      ?= gcc
CXX     ?= g++
JOBS    ?= 2
OPT     ?= -O2 -flto=auto
WARN    := -Wall -Wextra -Werror
CFLAGS_COMMON := -std=c11 $(WARN) -g -MMD -MP -Imodel -Icsrc
CXXFLAGS_COMMON := -std=c++17 $(WARN) -g -MMD -MP -Imodel -Icsrc
SAN     := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
GTEST_FLAGS = $(shell pkg-config --cflags gtest 2>/dev/null)
GTEST_LIBS  = $(shell pkg-config --libs gtest_main 2>/dev/null || echo -lgtest_main -lgtest -pthread)

LIB_SRCS  := $(filter-out model/mmusim.c,$(wildcard model/*.c)) $(wildcard csrc/*.c)
TEST_SRCS := $(wildcard testbench/test_*.cc)
VECTORS   := $(wildcard testbench/vectors/*.vec)
PRESETS   := $(wildcard configs/*.cfg)
DEMO_TRACE := traces/sort.lackey.gz

# Two flavours of every object: plain (optimised) and sanitized.
$(BUILD)/obj/%.o: %.c | $(BUILD)/obj/model $(BUILD)/obj/csrc
	$(CC) $(CFLAGS_COMMON) $(OPT) -c $< -o $@
$(BUILD)/san/%.o: %.c | $(BUILD)/san/model $(BUILD)/san/csrc
	$(CC) $(CFLAGS_COMMON) -O1 $(SAN) -c $< -o $@
$(BUILD)/obj/%.o: %.cc | $(BUILD)/obj/testbench
	$(CXX) $(CXXFLAGS_COMMON) $(GTEST_FLAGS) -O1 -c $< -o $@
$(BUILD)/san/%.o: %.cc | $(BUILD)/san/testbench
	$(CXX) $(CXXFLAGS_COMMON) $(GTEST_FLAGS) -O1 $(SAN) -c $< -o $@

$(BUILD)/obj/model $(BUILD)/san/model $(BUILD)/obj/csrc $(BUILD)/san/csrc $(BUILD)/obj/testbench $(BUILD)/san/testbench:
	mkdir -p $@

LIB_OBJS     := $(LIB_SRCS:%.c=$(BUILD)/obj/%.o)
LIB_SAN_OBJS := $(LIB_SRCS:%.c=$(BUILD)/san/%.o)

$(BUILD)/mmusim: $(BUILD)/obj/model/mmusim.o $(LIB_OBJS)
	$(CC) $(OPT) $^ -o $@
$(BUILD)/mmusim-san: $(BUILD)/san/model/mmusim.o $(LIB_SAN_OBJS)
	$(CC) $(SAN) $^ -o $@
$(BUILD)/test_model: $(TEST_SRCS:%.cc=$(BUILD)/obj/%.o) $(LIB_OBJS)
	$(CXX) $(OPT) $^ $(GTEST_LIBS) -o $@
$(BUILD)/test_model-san: $(TEST_SRCS:%.cc=$(BUILD)/san/%.o) $(LIB_SAN_OBJS)
	$(CXX) $(SAN) $^ $(GTEST_LIBS) -o $@
$(BUILD)/bench: $(BUILD)/obj/testbench/bench.o $(LIB_OBJS)
	$(CC) $(OPT) $^ -o $@
$(BUILD)/obj/testbench/bench.o: testbench/bench.c | $(BUILD)/obj/testbench
	$(CC) $(CFLAGS_COMMON) $(OPT) -c $< -o $@

.PHONY: all deps demo test test-unit test-san test-vectors test-badinput test-workloads bench clean help
all: $(BUILD)/mmusim

deps:
	@sh testbench/deps.sh

# The bundled workload: a valgrind trace of GNU sort (see traces/README.md), in 512 KiB of
# user memory so that it pages; then a multi-process scenario with fork, COW and swap.
demo: deps
	@$(MAKE) --no-print-directory -j$(JOBS) $(BUILD)/mmusim
	$(BUILD)/mmusim trace --config configs/server.cfg --set os.user_frames=128 $(DEMO_TRACE)
	$(BUILD)/mmusim run --config configs/server.cfg traces/swap.wl

test: deps
	@$(MAKE) --no-print-directory -j$(JOBS) $(BUILD)/mmusim $(BUILD)/mmusim-san $(BUILD)/test_model $(BUILD)/test_model-san
	@$(MAKE) --no-print-directory test-unit test-san test-vectors test-badinput test-workloads test-diff test-rtl
	@echo "make test: all suites passed"

test-unit: $(BUILD)/test_model
	$(BUILD)/test_model

test-san: $(BUILD)/test_model-san $(BUILD)/mmusim-san
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 $(BUILD)/test_model-san
	ASAN_OPTIONS=detect_leaks=1 sh testbench/run_vectors.sh $(BUILD)/mmusim-san configs/default.cfg $(VECTORS)

# The directed vectors under every preset: expectations do not depend on TLB sizes.
test-vectors: $(BUILD)/mmusim
	@for c in $(PRESETS); do sh testbench/run_vectors.sh $(BUILD)/mmusim $$c $(VECTORS) || exit 1; done

test-badinput: $(BUILD)/mmusim
	sh testbench/bad_input.sh $(BUILD)/mmusim

# The example workloads against their expected output, on both paths and under the sanitizers.
test-workloads: $(BUILD)/mmusim $(BUILD)/mmusim-san
	sh testbench/run_workloads.sh $(BUILD)/mmusim
	sh testbench/run_workloads.sh $(BUILD)/mmusim --cycle
	ASAN_OPTIONS=detect_leaks=1 sh testbench/run_workloads.sh $(BUILD)/mmusim-san

bench: deps
	@$(MAKE) --no-print-directory $(BUILD)/bench
	$(BUILD)/bench
	@$(MAKE) --no-print-directory bench-rtl

clean:
	rm -rf $(BUILD)

help:
	@echo "make demo        run the bundled real workload and print its statistics"
	@echo "make test        every suite: unit (plain and ASan+UBSan), vectors, bad input, workloads,"
	@echo "                 the differential test against Linux, RTL lint and lockstep"
	@echo "make bench       translations per second of the functional and cycle paths, then bench-rtl"
	@echo "make lint        verilator --lint-only -Wall of the RTL under every preset"
	@echo "make test-rtl    lint, then the RTL in lockstep with the model (random, fill, vectors,"
	@echo "                 workloads and a trace through the fault handler)"
	@echo "make mutants     deliberate RTL bugs: the lockstep must fail on each"
	@echo "make coverage    RTL line/toggle coverage and the functional coverage points"
	@echo "make synth       Yosys: cells, flip-flops and memory bits per instance, per preset"
	@echo "make bench-rtl   simulated cycles/s of the RTL alone and in lockstep"
	@echo "make wave TEST=\"CFG ARGS\"   an FST waveform of one lockstep run (docs/rtl.md)"
	@echo "make clean       remove $(BUILD)/"

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
include testbench/diff.mk
include rtl/rtl.mk
