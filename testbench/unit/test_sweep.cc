// test_sweep.cc - the run records and their CSV (app/runjson.c, app/runtab.c,
// docs/studies.md): hand-written records against the CSV worked out by hand,
// and one malformed record per message.  The runs themselves (fork, jobs
// file, merge equal to the local sweep) are testbench/regress/sweep_check.sh's.

#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <unistd.h>
#include <vector>

#include "runjson.h"
#include "temp_file.h"

namespace {

using mmutest::TempFile;

// The CSV of records given as (run, JSON text), read in that order; "" when one is rejected.
std::string csv_of(const std::vector<std::pair<unsigned long, std::string>> &recs)
{
    runtab_t *t = runtab_new();
    std::string out;
    char *buf = nullptr;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    bool ok = true;

    for (const auto &r : recs) {
        TempFile tf(r.second);
        ok = ok && runtab_read(t, tf.path(), r.first) == 0;
    }
    if (ok) {
        EXPECT_EQ(runtab_write_csv(t, f), 0);
    }
    fclose(f);
    if (ok)
        out.assign(buf, len);
    free(buf);
    runtab_free(t);
    return out;
}

// The "path:line: message" a malformed record gets, with the path cut off.
std::string message_of(const std::string &json)
{
    TempFile tf(json);
    runrec_t r;
    testing::internal::CaptureStderr();
    EXPECT_EQ(runrec_read(tf.path(), &r), -1);
    std::string err = testing::internal::GetCapturedStderr();
    return err.substr(err.find(tf.path()) + std::string(tf.path()).size());
}

TEST(Sweep, ColumnsAreTheUnionInFirstSeenOrder)
{
    // Run 2 read first: rows follow run numbers; "new" first appears in
    // run 1 and goes last; run 2 lacks it (empty), run 1 lacks "y" (empty).
    EXPECT_EQ(csv_of({ { 2, R"({"x": 2, "y": 1e-05})" }, { 1, R"({"x": 1, "new": "v"})" } }),
              "run,x,y,new\n"
              "1,1,,v\n"
              "2,2,1e-05,\n");
}

TEST(Sweep, HistogramBucketsAscendWhereTheHistogramWas)
{
    // Union {7, 12, 40} ascending; a bucket a run lacks is 0; a run
    // without the histogram gets empty cells.
    EXPECT_EQ(csv_of({ { 1, R"({"a": 1, "walk_latency.histogram": {"40": 3, "12": 5}, "b": 2})" },
                       { 2, R"({"a": 1, "walk_latency.histogram": {"7": 1}, "b": 2})" },
                       { 3, R"({"a": 1, "b": 2})" } }),
              "run,a,walk_latency.hist.7,walk_latency.hist.12,walk_latency.hist.40,b\n"
              "1,1,0,5,3,2\n"
              "2,1,1,0,0,2\n"
              "3,1,,,,2\n");
}

TEST(Sweep, ValuesStayVerbatimAndStringsQuoteOnlyWhenNeeded)
{
    EXPECT_EQ(csv_of({ { 1, "{\n  \"n\": -0.25,\n  \"e\": 1E+3,\n  \"t\": \"a,b.din\",\n"
                            "  \"q\": \"say \\\"hi\\\"\",\n  \"u\": \"\\u00e9\",\n  \"z\": null,\n"
                            "  \"b\": true\n}\n" } }),
              "run,n,e,t,q,u,z,b\n"
              "1,-0.25,1E+3,\"a,b.din\",\"say \"\"hi\"\"\",\xc3\xa9,,true\n");
}

// Every shape of number the runs print: one, two or more digits after the point, exponents.
TEST(Sweep, NumbersOfEveryShape)
{
    EXPECT_EQ(csv_of({ { 1, "{\n  \"a\": 41.9,\n  \"b\": 0.5,\n  \"c\": 41.95,\n  \"d\": 7,\n"
                            "  \"e\": 1.5e-05,\n  \"f\": 0,\n  \"g\": 2e+10\n}\n" } }),
              "run,a,b,c,d,e,f,g\n"
              "1,41.9,0.5,41.95,7,1.5e-05,0,2e+10\n");
}

TEST(Sweep, MalformedRecordsNameTheLine)
{
    EXPECT_EQ(message_of(""), ":1: empty file, not a JSON record (did the run fail?)\n");
    EXPECT_EQ(message_of("{\n  \"a\": 1,\n}"), ":3: expected a key string\n");
    EXPECT_EQ(message_of("{\n  \"a\": 01\n}"), ":2: expected ',' or '}'\n");
    EXPECT_EQ(message_of("{\n\n  \"a\": 1, \"a\": 2}"), ":3: key 'a' given twice\n");
    EXPECT_EQ(message_of("{\"a\": {\"x\": 1}}"), ":1: histogram bucket 'x' is not a non-negative integer\n");
    EXPECT_EQ(message_of("{\"a\": {\"1\": 1, \"1\": 2}}"), ":1: histogram bucket 1 given twice\n");
    EXPECT_EQ(message_of("{\"a\": \"\\ud800\"}"), ":1: lone surrogate in a string\n");
    EXPECT_EQ(message_of("{\"run\": 1}"), ":1: key 'run' is the CSV's run number column\n");
    EXPECT_EQ(message_of("{\"a\": 1} {"), ":1: text after the end of the record\n");
    EXPECT_EQ(message_of("{\"a\": .5}"), ":1: expected a number, a string or a histogram object\n");
}

TEST(Sweep, AKeyCannotTurnIntoAHistogram)
{
    testing::internal::CaptureStderr();
    EXPECT_EQ(csv_of({ { 1, R"({"h": 1})" }, { 2, R"({"h": {"1": 1}})" } }), "");
    EXPECT_NE(testing::internal::GetCapturedStderr().find(":1: 'h' is a histogram here but a value in an earlier record"),
              std::string::npos);
}

} // namespace
