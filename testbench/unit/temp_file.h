// temp_file.h - a temporary file holding given text, for the suites that
// hand a file name to the code under test (configurations, JSON records).
#ifndef MMUSIM_TEMP_FILE_H
#define MMUSIM_TEMP_FILE_H

#include <gtest/gtest.h>

#include <cstdlib>
#include <string>
#include <unistd.h>

namespace mmutest {

// A temporary file in $TMPDIR (else /tmp) holding text, removed when the object goes.
class TempFile {
  public:
    explicit TempFile(const std::string &text)
    {
        const char *dir = std::getenv("TMPDIR");
        path_ = std::string(dir && *dir ? dir : "/tmp") + "/mmusim_test_XXXXXX";
        int fd = mkstemp(&path_[0]);
        EXPECT_GE(fd, 0);
        if (fd >= 0) {
            EXPECT_EQ(write(fd, text.data(), text.size()), (ssize_t)text.size());
            close(fd);
        }
    }
    ~TempFile() { unlink(path_.c_str()); }
    TempFile(const TempFile &) = delete;
    TempFile &operator=(const TempFile &) = delete;
    const char *path() const { return path_.c_str(); }

  private:
    std::string path_;
};

} // namespace mmutest
#endif
