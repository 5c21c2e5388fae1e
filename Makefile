# mmusim - cycle-level MMU/TLB model.  `make` builds build/mmusim; `make demo`
# and `make test` are the two commands a newcomer needs; `make help` lists the rest.
#
# Layers (docs/architecture.md): app/ (front ends) -> csrc/ (operating system)
# -> model/ (golden model).  Each layer is compiled with the include paths of
# itself and the layers below only, so an upward include does not compile;
# `make lint` checks the same rule on the sources.

BUILD   ?= build
CC      ?= gcc
CXX     ?= g++
JOBS    ?= 2
OPT     ?= -O2 -flto=auto
WARN    := -Wall -Wextra -Werror
DEPFLAGS := -MMD -MP
INC_model := -Imodel
INC_csrc  := $(INC_model) -Icsrc
INC_app   := $(INC_csrc) -Iapp
INC_test  := $(INC_app) -Itestbench/ref -Itestbench/unit
CFLAGS_COMMON   = -std=c11 $(WARN) -g $(DEPFLAGS)
CXXFLAGS_COMMON = -std=c++17 $(WARN) -g $(DEPFLAGS) $(INC_test)
SAN     := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
GTEST_FLAGS = $(shell pkg-config --cflags gtest 2>/dev/null)
GTEST_LIBS  = $(shell pkg-config --libs gtest_main 2>/dev/null || echo -lgtest_main -lgtest -pthread)

.DEFAULT_GOAL := all

MODEL_SRCS := $(wildcard model/*.c)
CSRC_SRCS  := $(wildcard csrc/*.c)
APP_SRCS   := $(filter-out app/mmusim.c,$(wildcard app/*.c))
LIB_SRCS   := $(MODEL_SRCS) $(CSRC_SRCS) $(APP_SRCS)
TEST_SRCS  := $(wildcard testbench/unit/*.cc testbench/ref/*.cc)
VECTORS    := $(wildcard testbench/vectors/*.vec)
PRESETS    := $(wildcard configs/*.cfg)
DEMO_TRACE := traces/sort.lackey.gz

# Two flavours of every object: plain (optimised) and sanitized.  The layer of
# a C file is its folder; it sees its own headers and those of lower layers.
layer_inc = $(INC_$(firstword $(subst /, ,$(1))))
$(BUILD)/obj/%.o: %.c | $(BUILD)/obj/model $(BUILD)/obj/csrc $(BUILD)/obj/app
	$(CC) $(CFLAGS_COMMON) $(call layer_inc,$<) $(OPT) -c $< -o $@
$(BUILD)/san/%.o: %.c | $(BUILD)/san/model $(BUILD)/san/csrc $(BUILD)/san/app
	$(CC) $(CFLAGS_COMMON) $(call layer_inc,$<) -O1 $(SAN) -c $< -o $@
$(BUILD)/obj/%.o: %.cc | $(BUILD)/obj/testbench/unit $(BUILD)/obj/testbench/ref deps-test
	$(CXX) $(CXXFLAGS_COMMON) $(GTEST_FLAGS) -O1 -c $< -o $@
$(BUILD)/san/%.o: %.cc | $(BUILD)/san/testbench/unit $(BUILD)/san/testbench/ref deps-test
	$(CXX) $(CXXFLAGS_COMMON) $(GTEST_FLAGS) -O1 $(SAN) -c $< -o $@

OBJ_DIRS := $(foreach f,obj san,$(foreach d,model csrc app testbench/unit testbench/ref testbench/tools,$(BUILD)/$(f)/$(d)))
$(OBJ_DIRS):
	mkdir -p $@

LIB_OBJS     := $(LIB_SRCS:%.c=$(BUILD)/obj/%.o)

# Every statistics record names the mmusim that made it: `git describe`, kept in
# $(BUILD)/version so that report.o is rebuilt when it changes.
MMUSIM_VERSION := $(shell git describe --always --dirty 2>/dev/null || echo unknown)
$(shell mkdir -p $(BUILD) && [ "$$(cat $(BUILD)/version 2>/dev/null)" = '$(MMUSIM_VERSION)' ] || echo '$(MMUSIM_VERSION)' >$(BUILD)/version)
$(BUILD)/obj/app/report.o $(BUILD)/san/app/report.o: $(BUILD)/version
$(BUILD)/obj/app/report.o $(BUILD)/san/app/report.o: CFLAGS_COMMON += -DMMUSIM_VERSION='"$(MMUSIM_VERSION)"'
LIB_SAN_OBJS := $(LIB_SRCS:%.c=$(BUILD)/san/%.o)

$(BUILD)/mmusim: $(BUILD)/obj/app/mmusim.o $(LIB_OBJS)
	$(CC) $(OPT) $^ -o $@
$(BUILD)/mmusim-san: $(BUILD)/san/app/mmusim.o $(LIB_SAN_OBJS)
	$(CC) $(SAN) $^ -o $@
$(BUILD)/test_model: $(TEST_SRCS:%.cc=$(BUILD)/obj/%.o) $(LIB_OBJS)
	$(CXX) $(OPT) $^ $(GTEST_LIBS) -o $@
$(BUILD)/test_model-san: $(TEST_SRCS:%.cc=$(BUILD)/san/%.o) $(LIB_SAN_OBJS)
	$(CXX) $(SAN) $^ $(GTEST_LIBS) -o $@
$(BUILD)/bench: $(BUILD)/obj/testbench/tools/bench.o $(LIB_OBJS)
	$(CC) $(OPT) $^ -o $@
$(BUILD)/obj/testbench/tools/bench.o: testbench/tools/bench.c | $(BUILD)/obj/testbench/tools
	$(CC) $(CFLAGS_COMMON) $(INC_model) $(OPT) -c $< -o $@

.PHONY: all deps-build deps-test deps-rtl deps-synth deps-study demo test test-unit test-san test-vectors test-badinput \
        test-workloads test-docs bench lint lint-layers clean help
all: $(BUILD)/mmusim

# Set-up: testbench/tools/deps.sh installs (as root) or names the Debian
# packages a group of targets needs, so the demo needs only a C compiler.
deps-build:
	@sh testbench/tools/deps.sh build
deps-test:
	@sh testbench/tools/deps.sh test
deps-rtl:
	@sh testbench/tools/deps.sh rtl
deps-synth:
	@sh testbench/tools/deps.sh synth
deps-study:
	@sh testbench/tools/deps.sh study

# The bundled workload: a valgrind trace of GNU sort (see traces/README.md), in 512 KiB of
# user memory so that it pages; then a multi-process scenario with fork, COW and swap.
demo: deps-build
	@$(MAKE) --no-print-directory -s -j$(JOBS) $(BUILD)/mmusim
	$(BUILD)/mmusim trace --config configs/server.cfg --set os.user_frames=128 $(DEMO_TRACE)
	$(BUILD)/mmusim run --config configs/server.cfg traces/swap.wl

test: deps-test
	@$(MAKE) --no-print-directory -j$(JOBS) $(BUILD)/mmusim $(BUILD)/mmusim-san $(BUILD)/test_model $(BUILD)/test_model-san
	@$(MAKE) --no-print-directory lint-layers test-unit test-san test-vectors test-badinput test-workloads test-traces test-diff test-rtl test-systemc test-docs
	@echo "make test: all suites passed"

test-unit: $(BUILD)/test_model
	$(BUILD)/test_model

test-san: $(BUILD)/test_model-san $(BUILD)/mmusim-san
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 $(BUILD)/test_model-san
	ASAN_OPTIONS=detect_leaks=1 sh testbench/regress/run_vectors.sh $(BUILD)/mmusim-san configs/default.cfg $(VECTORS)
	@$(MAKE) --no-print-directory $(BUILD)/sweep.lackey $(BUILD)/mutate
	ASAN_OPTIONS=detect_leaks=1 sh testbench/regress/trace_runs.sh $(BUILD)/mmusim-san
	ASAN_OPTIONS=detect_leaks=1 sh testbench/regress/fuzz_traces.sh $(BUILD)/mmusim-san $(BUILD)/mutate
	ASAN_OPTIONS=detect_leaks=1 sh testbench/regress/bad_traces.sh $(BUILD)/mmusim-san
	ASAN_OPTIONS=detect_leaks=1 sh testbench/regress/sweep_check.sh $(BUILD)/mmusim-san $(BUILD)/sweep.lackey

# The directed vectors under every preset: expectations do not depend on TLB sizes.
test-vectors: $(BUILD)/mmusim
	@for c in $(PRESETS); do sh testbench/regress/run_vectors.sh $(BUILD)/mmusim $$c $(VECTORS) || exit 1; done

test-badinput: $(BUILD)/mmusim
	sh testbench/regress/bad_input.sh $(BUILD)/mmusim

# The example workloads against their expected output, on both paths and under the sanitizers;
# the ELF that traces/execve.wl runs is what its generator writes; 1 TiB mappings touched in a
# few places cost under 10 MB of host memory.
test-workloads: $(BUILD)/mmusim $(BUILD)/mmusim-san
	sh testbench/tools/mkelf.sh | cmp - traces/execve.elf
	sh testbench/regress/run_workloads.sh $(BUILD)/mmusim
	sh testbench/regress/run_workloads.sh $(BUILD)/mmusim --cycle
	ASAN_OPTIONS=detect_leaks=1 sh testbench/regress/run_workloads.sh $(BUILD)/mmusim-san
	sh testbench/regress/sparse_mem.sh $(BUILD)/mmusim

# Every example command of README.md and docs/ run and compared with what the page shows
# (the RTL pages run the lockstep binaries too).
test-docs: $(BUILD)/mmusim rtl-bins
	sh testbench/regress/docs_examples.sh $(BUILD)/mmusim

# The layering rule of docs/architecture.md, on the sources.
lint-layers:
	sh testbench/tools/layers.sh

lint: lint-layers lint-encodings lint-rtl
	@echo "make lint: layers, encodings and RTL clean"

bench: deps-test
	@$(MAKE) --no-print-directory $(BUILD)/bench
	$(BUILD)/bench
	@$(MAKE) --no-print-directory bench-trace bench-rtl bench-systemc bench-systemc-rtl

clean:
	rm -rf $(BUILD)

help:
	@echo "make                 build $(BUILD)/mmusim (needs only gcc and make)"
	@echo "make demo            the bundled real workload and a multi-process scenario (gcc, gzip)"
	@echo "make test            every suite below, as CI runs it (.ci/run); about 8 minutes on 2 cores"
	@echo "  make test-unit     the googletest suites; test-san: the same under ASan+UBSan"
	@echo "  make test-vectors  the directed vectors on both paths under every preset"
	@echo "  make test-badinput malformed inputs: FILE:LINE messages and exit 2"
	@echo "  make test-workloads  traces/*.wl against their expected lines, both paths and ASan"
	@echo "  make test-traces   trace formats and options, sweeps, L1 misses against Dinero IV"
	@echo "  make fuzz-traces   5000 damaged traces through the readers under ASan+UBSan (test-san: 300)"
	@echo "  make test-docs     every \$$ example of README.md and docs/ against its output"
	@echo "  make test-diff     traces/diff/*.wl on this host's Linux and on mmusim, compared"
	@echo "  make test-diff-host  Linux alone against the scenarios' expected lines"
	@echo "  make test-rtl      lint, then the RTL in lockstep with the model (random, fill, vectors,"
	@echo "                     workloads, a trace) on every configuration, then mutants-test"
	@echo "  make test-rtl-run  the lockstep runs of test-rtl alone (binaries built by rtl-bins)"
	@echo "  make mutants-test  the mutant subset of make test: one of every kind, every RTL file"
	@echo "  make test-systemc  the TLM component's suites, mmusim-sc against mmusim --cycle, then"
	@echo "                     test-systemc-rtl: the TLM model against the RTL (docs/systemc.md)"
	@echo "make systemc         build $(BUILD)/mmusim-sc: run and trace on the TLM-2.0 platform"
	@echo "make systemc-example build and run the example TLM platform (docs/systemc.md)"
	@echo "make lint            lint-layers, lint-encodings and lint-rtl"
	@echo "  make lint-layers   no include points up: app -> csrc -> model (docs/architecture.md)"
	@echo "  make lint-encodings  rtl/mmu_defs.vh against the C headers, perm_ok against the model's"
	@echo "  make lint-rtl      verilator --lint-only -Wall, every configuration"
	@echo "make mutants         every deliberate RTL bug of rtl/mutants.txt: the lockstep must fail on each"
	@echo "make coverage        RTL line/toggle coverage and the functional coverage points"
	@echo "make synth           Yosys: cells, flip-flops and memory bits per instance, per preset"
	@echo "make study           trace real programs, sweep TLB configurations, plot (docs/results/)"
	@echo "make bench           translations/s of the model's two paths, bench-trace, bench-rtl"
	@echo "  make bench-trace   references/s from din text and mmt, beside Dinero IV"
	@echo "  make bench-rtl     simulated cycles/s of the RTL alone and in lockstep"
	@echo "  make bench-systemc  translations/s through the TLM component's b_transport"
	@echo "  make bench-systemc-rtl  translations/s through the SystemC testbench with the RTL"
	@echo "make wave TEST=\"CFG ARGS\"  an FST waveform of one lockstep run (docs/rtl.md)"
	@echo "make rtl-bins        the lockstep binary of every configuration, $(BUILD)/rtl/CFG/lockstep"
	@echo "make deps-build, deps-test, deps-systemc, deps-rtl, deps-synth, deps-study   install (as root) or name the packages"
	@echo "make clean           remove $(BUILD)/"

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
include testbench/regress/diff.mk
include testbench/regress/studies.mk
include rtl/rtl.mk
include app/systemc/systemc.mk
include app/systemc/example.mk
include testbench/systemc/rtl_sc.mk
