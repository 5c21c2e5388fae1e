# mmusim - cycle-level MMU/TLB model.  `make demo` and `make test` are the
# two commands a newcomer needs; `make help` lists the rest.

BUILD   ?= build
CC      ?= gcc
CXX     ?= g++
JOBS    ?= 2
OPT     ?= -O2 -flto=auto
WARN    := -Wall -Wextra -Werror
CFLAGS_COMMON := -std=c11 $(WARN) -g -MMD -MP -Imodel
CXXFLAGS_COMMON := -std=c++17 $(WARN) -g -MMD -MP -Imodel
SAN     := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
GTEST_FLAGS = $(shell pkg-config --cflags gtest 2>/dev/null)
GTEST_LIBS  = $(shell pkg-config --libs gtest_main 2>/dev/null || echo -lgtest_main -lgtest -pthread)

LIB_SRCS  := $(filter-out model/mmusim.c,$(wildcard model/*.c))
TEST_SRCS := $(wildcard testbench/test_*.cc)
VECTORS   := $(wildcard testbench/vectors/*.vec)
PRESETS   := $(wildcard configs/*.cfg)
DEMO_TRACE := traces/sort.lackey.gz

# Two flavours of every object: plain (optimised) and sanitized.
$(BUILD)/obj/%.o: %.c | $(BUILD)/obj/model
	$(CC) $(CFLAGS_COMMON) $(OPT) -c $< -o $@
$(BUILD)/san/%.o: %.c | $(BUILD)/san/model
	$(CC) $(CFLAGS_COMMON) -O1 $(SAN) -c $< -o $@
$(BUILD)/obj/%.o: %.cc | $(BUILD)/obj/testbench
	$(CXX) $(CXXFLAGS_COMMON) $(GTEST_FLAGS) -O1 -c $< -o $@
$(BUILD)/san/%.o: %.cc | $(BUILD)/san/testbench
	$(CXX) $(CXXFLAGS_COMMON) $(GTEST_FLAGS) -O1 $(SAN) -c $< -o $@

$(BUILD)/obj/model $(BUILD)/san/model $(BUILD)/obj/testbench $(BUILD)/san/testbench:
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

.PHONY: all deps demo test test-unit test-san test-vectors test-badinput bench clean help
all: $(BUILD)/mmusim

deps:
	@sh testbench/deps.sh

# The bundled workload: a valgrind trace of GNU sort (see traces/README.md).
demo: deps
	@$(MAKE) --no-print-directory -j$(JOBS) $(BUILD)/mmusim
	$(BUILD)/mmusim trace --config configs/server.cfg $(DEMO_TRACE)

test: deps
	@$(MAKE) --no-print-directory -j$(JOBS) $(BUILD)/mmusim $(BUILD)/mmusim-san $(BUILD)/test_model $(BUILD)/test_model-san
	@$(MAKE) --no-print-directory test-unit test-san test-vectors test-badinput
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

bench: deps
	@$(MAKE) --no-print-directory $(BUILD)/bench
	$(BUILD)/bench

clean:
	rm -rf $(BUILD)

help:
	@echo "make demo        run the bundled real workload and print its statistics"
	@echo "make test        every suite: unit (plain and ASan+UBSan), vectors, bad input"
	@echo "make bench       translations per second of the functional and cycle paths"
	@echo "make clean       remove $(BUILD)/"

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
