// history.h - the ring of recent events an RTL harness prints with a
// mismatch (the lockstep's cycle-level one, the SystemC testbench's
// transaction-level one): what led up to the difference.
#ifndef MMUSIM_HISTORY_H
#define MMUSIM_HISTORY_H

#include <cinttypes>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

class History {
public:
    // Keeps the last LOCKSTEP_HISTORY events (24 when unset).
    History() : ring_(getenv("LOCKSTEP_HISTORY") ? (size_t)atoi(getenv("LOCKSTEP_HISTORY")) : 24) {}

    // Records text as the event of cycle, dropping the oldest when full.
    void add(uint64_t cycle, const std::string &text)
    {
        if (ring_.empty())
            return;
        ring_[pos_ % ring_.size()] = Event{ cycle, text };
        pos_++;
    }

    // Prints the events kept, oldest first, under a heading.
    void print(FILE *out) const
    {
        fprintf(out, "  recent history (oldest first):\n");
        size_t n = pos_ < ring_.size() ? pos_ : ring_.size();
        for (size_t i = 0; i < n; i++) {
            const Event &e = ring_[(pos_ - n + i) % ring_.size()];
            fprintf(out, "    cycle %8" PRIu64 "  %s\n", e.cycle, e.text.c_str());
        }
    }

private:
    struct Event {
        uint64_t cycle;
        std::string text;
    };
    std::vector<Event> ring_;
    size_t pos_ = 0;
};

#endif
