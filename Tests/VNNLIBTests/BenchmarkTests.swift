import ExactArithmetic
import Foundation
import TestSupport
import Testing
@testable import VNNLIB

/// Every VNN-LIB file of the VNN-COMP 2021 benchmarks (acasxu, mnistfc, test). Skipped, with a
/// printed notice, when the benchmarks are not on this machine.
@Suite(.requiresBenchmarks) struct BenchmarkTests {
    /// (inputs, outputs, cases) for each file, from reading the files by eye.
    private static func expectedShape(category: String, file: String) -> (Int, Int, Int)? {
        switch category {
        case "acasxu":
            let cases = ["prop_1": 1, "prop_2": 1, "prop_3": 1, "prop_4": 1, "prop_5": 4,
                         "prop_6": 8, "prop_7": 2, "prop_8": 3, "prop_9": 4, "prop_10": 4]
            return cases[String(file.dropLast(".vnnlib".count))].map { (5, 5, $0) }
        case "mnistfc":
            return (784, 10, 9)
        case "test":
            return ["test_nano.vnnlib": (1, 1, 1), "test_prop.vnnlib": (5, 5, 1),
                    "test_small.vnnlib": (1, 1, 1), "test_tiny.vnnlib": (1, 1, 1)][file]
        default:
            return nil
        }
    }

    @Test(arguments: ["acasxu", "mnistfc", "test"])
    func everyBenchmarkFileParses(category: String) throws {
        let root = try #require(Fixtures.vnncomp2021)
        var parsed = 0
        do {
            let folder = root.appendingPathComponent(category)
            let files = try FileManager.default.contentsOfDirectory(atPath: folder.path)
                .filter { $0.hasSuffix(".vnnlib") }.sorted()
            #expect(!files.isEmpty, "no .vnnlib files in \(folder.path)")
            for file in files {
                let url = folder.appendingPathComponent(file)
                let spec = try PropertyParser.parse(contentsOf: url)
                let shape = try #require(Self.expectedShape(category: category, file: file), "unexpected file \(file)")
                #expect(spec.inputCount == shape.0 && spec.outputCount == shape.1 && spec.cases.count == shape.2, "\(file)")
                for c in spec.cases {
                    #expect(c.box.isBounded && !c.box.isEmpty && c.inputConstraints.isEmpty, "\(file)")
                    #expect(!c.outputConstraints.isEmpty, "\(file)")
                }
                try checkTopLevelBounds(url, spec)
                parsed += 1
            }
        }
        #expect(parsed == ["acasxu": 10, "mnistfc": 30, "test": 4][category])
    }

    /// Re-reads the one-line `(assert (<= X_i c))` / `(assert (>= X_i c))` bounds with plain
    /// string matching and checks every case's box agrees (an independent reading).
    private func checkTopLevelBounds(_ url: URL, _ spec: Specification) throws {
        let text = try String(contentsOf: url, encoding: .utf8)
        var values: [Substring: Rational] = [:]  // exact parsing is slow in debug builds; values repeat
        var expected: [(isUpper: Bool, index: Int, value: Rational)] = []
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: " ")
            guard parts.count == 4, parts[0] == "(assert", parts[1] == "(<=" || parts[1] == "(>=",
                  parts[2].hasPrefix("X_"), parts[3].hasSuffix("))"), let index = Int(parts[2].dropFirst(2)) else { continue }
            let literal = parts[3].dropLast(2)
            let value = try #require(values[literal] ?? Rational(decimal: literal))
            values[literal] = value
            expected.append((parts[1] == "(<=", index, value))
        }
        for c in spec.cases {
            let mismatches = expected.filter { ($0.isUpper ? c.box.upper[$0.index] : c.box.lower[$0.index]) != $0.value }
            #expect(mismatches.isEmpty, "\(url.lastPathComponent): \(mismatches.prefix(3))")
        }
    }

    @Test func acasProperty3() throws {
        let root = try #require(Fixtures.vnncomp2021)
        let spec = try PropertyParser.parse(contentsOf: root.appendingPathComponent("acasxu/prop_3.vnnlib"))
        try #require(spec.cases.count == 1)
        let c = spec.cases[0]
        let billion = 1_000_000_000
        #expect(c.box.lower == [q(-303_531_156, billion), q(-9_549_297, billion), q(493_380_324, billion), q(3, 10), q(3, 10)])
        #expect(c.box.upper == [q(-298_552_812, billion), q(9_549_297, billion), q(1, 2), q(1, 2), q(1, 2)])
        #expect(c.inputConstraints.isEmpty)
        #expect(c.outputConstraints == (1...4).map { constraint([(.output(0), q(1)), (.output($0), q(-1))]) })
        // Y_0 = 0 is minimal (a counterexample); Y_0 = 1 is not.
        #expect(spec.violatedCase(inputs: [-0.3, 0, 0.5, 0.4, 0.4], outputs: [0, 1, 1, 1, 1]) == 0)
        #expect(spec.violatedCase(inputs: [-0.3, 0, 0.5, 0.4, 0.4], outputs: [1, 0, 1, 1, 1]) == nil)
    }

    @Test func acasProperty6() throws {
        let root = try #require(Fixtures.vnncomp2021)
        let spec = try PropertyParser.parse(contentsOf: root.appendingPathComponent("acasxu/prop_6.vnnlib"))
        #expect(spec.cases.count == 8)
        // Case-major: the first input box with each of the four output clauses, then the second box.
        #expect(spec.cases.map(\.box.upper[1]) == Array(repeating: q(499_999_896, 1_000_000_000), count: 4)
                + Array(repeating: q(-11_140_846, 100_000_000), count: 4))
        #expect(spec.cases.map(\.outputConstraints) == (0..<8).map {
            [constraint([(.output(0), q(-1)), (.output($0 % 4 + 1), q(1))])]
        })
    }

    /// The learned-index property of VNN-COMP 2024's nn4sys: one `or` of 120,000 disjuncts, each
    /// with its own tiny interval of X_0 and a bound on Y_0, two bounds per interval. It used to
    /// pass a 100,000-case count cap; cases are now capped by memory, which it stays below.
    @Test func learnedIndexPropertyOf120000CasesParses() throws {
        let root = try #require(Fixtures.vnncomp2021).deletingLastPathComponent()
        let url = root.appendingPathComponent("vnncomp2024/nn4sys_2023/vnnlib/lindex_60000.vnnlib")
        try #require(FileManager.default.fileExists(atPath: url.path), "no vnncomp2024/nn4sys_2023 next to vnncomp2021")
        let spec = try PropertyParser.parse(contentsOf: url)
        #expect(spec.inputCount == 1 && spec.outputCount == 1 && spec.cases.count == 120_000)
        #expect(Set(spec.cases.map(\.box)).count == 60_000)
        #expect(spec.cases.allSatisfy { $0.box.isBounded && $0.outputConstraints.count == 1 })
    }
}
