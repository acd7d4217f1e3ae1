/// SplitMix64 (Steele, Lea and Flood, 2014): a small seeded generator, the same on every platform.
///
/// Invariant: a seed names one exact sequence, so benchmarks and tests draw the same pages, stores and
/// variants on every run. Never for anything that must be unpredictable (keys, nonces, boundaries).
package struct SeededRandom: RandomNumberGenerator, Sendable {
    private var state: UInt64

    package init(seed: UInt64) { state = seed }

    package mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in 0..<n.
    package mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }

    /// Uniform in [0, 1).
    package mutating func unit() -> Double { Double(next() >> 11) / Double(1 << 53) }

    package mutating func range(_ r: ClosedRange<Int>) -> Int { r.lowerBound + below(r.count) }
}
