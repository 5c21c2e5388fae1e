# app/systemc/example.mk - the example platform of docs/systemc.md: a traffic
# generator, the OS of csrc/, MmuTlm and DramTlm (app/systemc/sc_example.cpp).
# Included by the top Makefile after systemc.mk, whose variables it uses.
#
#   make systemc-example   build $(BUILD)/mmusim-sc-example and run it

.PHONY: systemc-example

$(BUILD)/mmusim-sc-example: $(BUILD)/obj/$(SC_DIR)/sc_example.o $(SC_COMPONENT) $(LIB_OBJS)
	$(CXX) $(OPT) $^ $(SC_LIBS) -o $@

# Rocket's MMU: an L2 TLB and a walk cache in front of the walker, so the log
# shows every level (docs/systemc.md walks through one of its page walks).
systemc-example: deps-systemc
	@$(MAKE) --no-print-directory -s -j$(JOBS) $(BUILD)/mmusim-sc-example
	$(BUILD)/mmusim-sc-example --config configs/rocket.cfg
