// test_sc_main.cc - the entry of $(BUILD)/test_systemc: libsystemc's main()
// sets up the kernel and calls sc_main, which runs the googletest suites.
// Each test builds its modules in a context of its own (sc_fixture.h).
#include <gtest/gtest.h>

#include <systemc>

int sc_main(int argc, char **argv)
{
    testing::InitGoogleTest(&argc, argv);
    return RUN_ALL_TESTS();
}
