// Benchmark driver for `make bench`: see scripts/bench.sh and docs/BENCHMARKS.md.
import TemoinKit

print("temoin-bench \(Temoin.version)")
