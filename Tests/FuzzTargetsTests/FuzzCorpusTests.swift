import Foundation
import Testing

@testable import FuzzTargets

/// The fuzz targets in the normal build: every committed corpus input (seeds and the
/// inputs of past findings) and a batch of pseudo-random inputs run through each target
/// without breaking its invariants. `make fuzz` runs the same targets under libFuzzer.
@Suite struct FuzzCorpusTests {
    static let corpus = Bundle.module.resourceURL!.appendingPathComponent("Corpus")

    static func inputs(of target: String) throws -> [URL] {
        try FileManager.default.contentsOfDirectory(at: corpus.appendingPathComponent(target), includingPropertiesForKeys: nil)
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
    }

    @Test func everyTargetHasACorpusAndEveryCorpusATarget() throws {
        let folders = try FileManager.default.contentsOfDirectory(atPath: Self.corpus.path).sorted()
        #expect(folders == FuzzTargets.all.map(\.name).sorted())
        for target in FuzzTargets.all {
            #expect(try !Self.inputs(of: target.name).isEmpty, "no seeds for \(target.name)")
        }
        #expect(Set(FuzzTargets.all.map(\.name)).count == FuzzTargets.all.count)
    }

    @Test(arguments: FuzzTargets.all.map(\.name))
    func corpusInputsKeepTheInvariants(name: String) throws {
        let target = try #require(FuzzTargets.named(name))
        let files = try Self.inputs(of: name)
        for file in files {
            target.run([UInt8](try Data(contentsOf: file)))
        }
        #expect(files.count >= 1)
    }

    @Test func generatedSeedsRunAndAreCommitted() throws {
        for (name, seeds) in FuzzSeeds.all() {
            let target = try #require(FuzzTargets.named(name))
            let committed = try Self.inputs(of: name).map(\.lastPathComponent)
            for (seed, bytes) in seeds {
                target.run(bytes)
                #expect(committed.contains("seed-\(seed)"), "seed-\(seed) of \(name) is not in the corpus: run peergate-fuzz seeds")
            }
        }
    }

    /// Inputs from a fixed pseudo-random generator: mutations of the seeds (bytes flipped,
    /// cut, repeated) and plain noise.
    @Test(arguments: FuzzTargets.all.map(\.name))
    func mutatedSeedsKeepTheInvariants(name: String) throws {
        let target = try #require(FuzzTargets.named(name))
        let seeds = try Self.inputs(of: name).map { [UInt8](try Data(contentsOf: $0)) }
        var random = SplitMix64(seed: 0x5EED)
        for round in 0..<300 {
            var input = seeds[round % seeds.count]
            switch random.next() % 4 {
            case 0 where !input.isEmpty:
                for _ in 0..<(1 + random.next() % 8) { input[Int(random.next() % UInt64(input.count))] = UInt8(truncatingIfNeeded: random.next()) }
            case 1: input = Array(input.prefix(Int(random.next() % UInt64(input.count + 1))))
            case 2 where !input.isEmpty:
                let start = Int(random.next() % UInt64(input.count))
                input.insert(contentsOf: input[start...].prefix(64), at: start)
            default: input = (0..<Int(random.next() % 256)).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            }
            target.run(input)
        }
    }
}

/// A small deterministic generator (SplitMix64), so failures reproduce.
struct SplitMix64 {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
