# The Python workload of `make study` (testbench/tools/study.sh): build a dict
# of N string keys (deterministic, no randomness), then look half of them up.
import sys
n = int(sys.argv[1])
d = {str(i * 7919 % 1000003): i for i in range(n)}
hits = sum(1 for i in range(0, n, 2) if str(i * 7919 % 1000003) in d)
print(len(d), hits)
