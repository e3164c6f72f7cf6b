import Foundation
import Testing
import TestSupport

/// The VNN-LIB 2.0 command form, `certus verify QUERY --network NAME=MODEL`, on the fixtures of
/// `scripts/make_query_fixtures.py`: equivalence of a network and a pruned copy, monotonicity
/// (two copies, ordered inputs), a hidden-node property, `supports`, and rejected queries.
@Suite struct QueryCommandTests {
    static func fixture(_ name: String) -> String {
        Fixtures.repositoryRoot.appendingPathComponent("Tests/Fixtures/query/\(name)").path
    }

    static func verify(_ query: String, _ networks: [String: String]) throws -> CertusExecutable.Run {
        let arguments = networks.sorted { $0.key < $1.key }.flatMap { ["--network", "\($0.key)=\(fixture($0.value))"] }
        return try CertusExecutable.run(["verify", fixture(query)] + arguments + ["--timeout", "60"])
    }

    /// The values printed after `NAME TYPE [shape]` in a `sat` assignment, by name.
    static func assignment(_ output: String) -> [String: [Double]] {
        var values: [String: [Double]] = [:], current = ""
        for line in output.split(separator: "\n").dropFirst() {
            if let value = Double(line) {
                values[current, default: []].append(value)
            } else {
                current = String(line.split(separator: " ")[0])
                values[current] = []
            }
        }
        return values
    }

    /// y = relu(x0 + x1) − relu(x0 − x1) + 0.5·relu(x1 − 0.25), and its pruned copy without the
    /// last term, as `small.onnx` and `small_pruned.onnx` compute them.
    static func small(_ x: [Double], pruned: Bool) -> Double {
        max(0, x[0] + x[1]) - max(0, x[0] - x[1]) + (pruned ? 0 : 0.5 * max(0, x[1] - 0.25))
    }

    @Test func equalCopyIsEquivalent() throws {
        let run = try Self.verify("equivalence.vnnlib", ["f": "small.onnx", "g": "small.onnx"])
        #expect(run.status == 0, "\(run.standardError)")
        #expect(run.standardOutput == "unsat\n")
    }

    @Test func prunedCopyDiffersWithEveryNetworksValues() throws {
        let run = try Self.verify("equivalence.vnnlib", ["f": "small.onnx", "g": "small_pruned.onnx"])
        #expect(run.status == 0, "\(run.standardError)")
        #expect(run.standardOutput.hasPrefix("sat\nX Real [2]\n"))
        let values = Self.assignment(run.standardOutput)
        #expect(Set(values.keys) == ["X", "Y", "Z", "W"])
        guard let x = values["X"], let y = values["Y"], let w = values["W"], x.count == 2, y.count == 1, w.count == 1 else {
            Issue.record("incomplete assignment: \(run.standardOutput)")
            return
        }
        #expect(values["Z"] == x)
        #expect(x[0] >= -1 && x[0] <= 1 && x[1] >= 0 && x[1] <= 1)
        #expect(y[0] == Self.small(x, pruned: false) && w[0] == Self.small(x, pruned: true))
        #expect(abs(y[0] - w[0]) > 0.01)
    }

    @Test func monotoneNetworkIsProved() throws {
        let run = try Self.verify("monotonicity.vnnlib", ["f": "monotone.onnx"])
        #expect(run.status == 0, "\(run.standardError)")
        #expect(run.standardOutput == "unsat\n")
        #expect(run.seconds < 30)
    }

    @Test func nonMonotoneNetworkGivesAnOrderedPair() throws {
        let run = try Self.verify("monotonicity.vnnlib", ["f": "non_monotone.onnx"])
        #expect(run.status == 0, "\(run.standardError)")
        let values = Self.assignment(run.standardOutput)
        guard run.standardOutput.hasPrefix("sat\n"), let x = values["X"], let u = values["U"], let y = values["Y"],
              let v = values["V"], x.count == 2, u.count == 2, y.count == 1, v.count == 1 else {
            Issue.record("expected sat with X, U, Y, V: \(run.standardOutput)")
            return
        }
        func f(_ x: [Double]) -> Double { max(0, x[0]) - 2 * max(0, x[0] - 0.5) }
        #expect(x[0] <= u[0] && x[1] == u[1] && u[0] <= 1 && x[0] >= -1)
        #expect(y[0] == f(x) && v[0] == f(u) && y[0] > v[0])
    }

    @Test func hiddenNodeBoundIsReachedExactlyUpToItsMaximum() throws {
        let reached = try Self.verify("hidden_reached.vnnlib", ["f": "small.onnx"])
        #expect(reached.status == 0, "\(reached.standardError)")
        let values = Self.assignment(reached.standardOutput)
        guard let x = values["X"], let h = values["H"], x.count == 2, h.count == 3 else {
            Issue.record("expected sat with X and H: \(reached.standardOutput)")
            return
        }
        #expect(h[2] == x[1] - 0.25 && h[2] >= 0.75)
        #expect(values["Y"] == [Self.small(x, pruned: false)])
        let beyond = try Self.verify("hidden_beyond.vnnlib", ["f": "small.onnx"])
        #expect(beyond.standardOutput == "unsat\n", "\(beyond.standardError)")
    }

    @Test func supportsAnswersOneCapability() throws {
        let versions = try CertusExecutable.run(["supports", "--vnnlib-versions"])
        #expect(versions.status == 0)
        #expect(versions.standardOutput == "1.0\n2.1\n")
        let theories = try CertusExecutable.run(["supports", "--multiple-network-theories"])
        #expect(theories.standardOutput.split(separator: "\n").contains("MNET"))
        #expect(try CertusExecutable.run(["supports"]).status != 0)
    }

    /// Each broken query, with the place and words its one `error:` line must give.
    static let rejected: [(text: String, place: String, mention: String)] = [
        ("(vnnlib-version <2.0>)\n(declare-network f (declare-input X Real [2]) (declare-output Y Real []))\n(assert (<= X[2] 1))\n",
         ":3:13:", "out of range"),
        ("(vnnlib-version <2.0>)\n(declare-network f (declare-input X Real [2]) (declare-output Y Real []))\n(assert (= Y 1))\n",
         ":3:10:", "'=='"),
        ("(vnnlib-version <2.0>)\n(declare-network f (declare-input X Real [2]) (declare-output Y Real []))\n(assert (<= Z 1))\n",
         ":3:13:", "Z"),
        ("(vnnlib-version <2.0>)\n(declare-network f (declare-input X Real [2) (declare-output Y Real []))\n",
         ":2:44:", "']'"),
        ("(vnnlib-version <2.0>)\n(declare-network f (declare-input X Real [2]) (declare-hidden H Real [1] \"h\n",
         ":2:74:", "'\"'"),
        ("(vnnlib-version <2.0>)\n(declare-network f (declare-input X Real [2]) (declare-hidden H Real [1] \"h\\",
         ":2:74:", "'\"'"),
        ("(vnnlib-version <3.0>)\n", ":1:17:", "3.0"),
        ("(vnnlib-version <2.0>)\n" + String(repeating: "(", count: 20_000), ":2:", "nest"),
    ]

    @Test func rejectedQueriesGiveOneErrorLineWithFileLineAndColumn() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("certus-query-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        for (k, (text, place, mention)) in Self.rejected.enumerated() {
            let path = directory.appendingPathComponent("bad\(k).vnnlib").path
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            let run = try CertusExecutable.run(["verify", path, "--network", "f=\(Self.fixture("small.onnx"))"])
            #expect(run.status == 2, "\(k): \(run.standardError)")
            #expect(run.standardOutput.isEmpty)
            let lines = run.standardError.split(separator: "\n")
            #expect(lines.count == 1 && lines[0].hasPrefix("error: ") && lines[0].contains("bad\(k).vnnlib\(place)")
                    && lines[0].contains(mention), "\(k): \(run.standardError)")
        }
    }

    @Test func anInputWithoutABoundIsAnErrorNamingIt() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("certus-query-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("open.vnnlib").path
        try """
            (vnnlib-version <2.0>)
            (declare-network f (declare-input X Real [2]) (declare-output Y Real [1]))
            (assert (and (>= X[0] 0) (<= X[0] 1) (>= X[1] 0)))
            (assert (>= Y[0] 100))
            """.write(toFile: path, atomically: true, encoding: .utf8)
        let run = try CertusExecutable.run(["verify", path, "--network", "f=\(Self.fixture("small.onnx"))"])
        #expect(run.status == 2, "\(run.standardError)")
        #expect(run.standardError == "error: \(path): input X[1] has no upper bound; every input needs a lower and an upper bound, as in (assert (>= X[1] -1)) and (assert (<= X[1] 1))\n")
    }

    @Test func modelsThatDoNotFitTheQueryAreRejected() throws {
        // An unknown network name, and a model whose output size differs from the declaration.
        let unknown = try CertusExecutable.run(["verify", Self.fixture("equivalence.vnnlib"), "--network", "f=\(Self.fixture("small.onnx"))",
                                                "--network", "h=\(Self.fixture("small.onnx"))"])
        #expect(unknown.status == 2 && unknown.standardError.hasPrefix("error: ") && unknown.standardError.contains("'h'"))
        let sizes = try CertusExecutable.run(["verify", Self.fixture("hidden_reached.vnnlib"), "--network",
                                              "f=\(Fixtures.repositoryRoot.appendingPathComponent("Tests/Fixtures/cli/relu_sum_diff.onnx").path)"])
        #expect(sizes.status == 2 && sizes.standardError.split(separator: "\n").count == 1, "\(sizes.standardError)")
    }
}
