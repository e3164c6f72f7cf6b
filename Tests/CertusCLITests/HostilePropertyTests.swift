import Foundation
import Testing
import TestSupport

/// A scratch folder for one test's files, removed afterwards by the caller's `defer`.
struct Scratch {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("certus-hostile-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    /// Writes `text` to `name` and returns the path.
    func write(_ name: String, _ text: String) throws -> String {
        let path = url.appendingPathComponent(name).path
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    func path(_ name: String) -> String { url.appendingPathComponent(name).path }

    /// The names in the folder (to check that no temporary result file is left behind).
    var names: [String] { ((try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? []).sorted() }

    func remove() { try? FileManager.default.removeItem(at: url) }
}

/// `certus verify` on properties whose meaning is easy to get wrong, over
/// `Tests/Fixtures/cli/relu_sum_diff.onnx`: y0 = relu(x0 + x1), y1 = relu(x0 - x1), whose
/// weights ±1 make float and exact evaluation agree on dyadic inputs.
@Suite struct HostilePropertyTests {
    static let network = Fixtures.url("cli/relu_sum_diff.onnx").path
    static let declarations = "(declare-const X_0 Real)\n(declare-const X_1 Real)\n(declare-const Y_0 Real)\n(declare-const Y_1 Real)\n"

    /// Runs `verify` on the network and `declarations + body`; returns the run.
    static func verify(_ body: String, _ extra: [String] = [], scratch: Scratch) throws -> CertusExecutable.Run {
        let property = try scratch.write("p.vnnlib", declarations + body)
        return try CertusExecutable.run(["verify", network, property, "--timeout", "60"] + extra)
    }

    /// One exact Z3 query per case, for checks about Z3's exactness rather than the search.
    static let exact = ["--engine", "exact"]

    static func firstLine(_ run: CertusExecutable.Run) -> String {
        String(run.standardOutput.split(separator: "\n", omittingEmptySubsequences: false).first ?? "")
    }

    @Test func emptyInputRegionIsUnsatAndSaysWhy() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let run = try Self.verify("(assert (>= X_0 1))\n(assert (<= X_0 0.5))\n(assert (<= Y_0 0))\n", scratch: scratch)
        #expect(run.status == 0 && run.standardOutput == "unsat\n")
        #expect(run.standardError.contains("note: unsat without search: every case of the property has an empty input region; the first: X_0 must be at least 1 and at most 1/2 (\(scratch.path("p.vnnlib")):6:9)"),
                "\(run.standardError)")
    }

    /// x = (0.25, 0.25) gives y0 = 0.5 exactly: `Y_0 < 0.5` is unreachable, `Y_0 <= 0.5` is
    /// not. Bounds cannot tell the two apart (they see a closed set); Z3 decides exactly.
    @Test func strictInequalitiesAreExact() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let pinned = "(assert (= X_0 0.25))\n(assert (= X_1 0.25))\n"
        let strict = try Self.verify(pinned + "(assert (< Y_0 0.5))", scratch: scratch)
        #expect(strict.standardOutput == "unsat\n", "\(strict.standardError)")
        let closed = try Self.verify(pinned + "(assert (<= Y_0 0.5))", scratch: scratch)
        #expect(closed.standardOutput == "sat\n((X_0 0.25)\n (X_1 0.25)\n (Y_0 0.5)\n (Y_1 0.0))\n")
        // A strict input bound against its closed complement: the box is [0.5, 0.5], the
        // strict constraint X_0 < 0.5 empties it, which only the exact methods see. Both the
        // default engine (bounds stuck within rounding of a proof hand the node to Z3) and the
        // plain exact encoding must say so, within the time limit.
        for engine in [[], Self.exact] {
            let input = try Self.verify("(assert (< X_0 0.5))\n(assert (>= X_0 0.5))\n(assert (<= 0 X_1 1))\n(assert (>= Y_0 0))",
                                        engine, scratch: scratch)
            #expect(input.standardOutput == "unsat\n", "\(engine): \(input.standardError)")
        }
        // A zero margin: y0 = relu(x0 + x1) ≥ 0 exactly, so `Y_0 < 0` is unreachable, though
        // sound bounds only reach −ε. Splitting cannot close that gap; Z3 does.
        let zeroMargin = try Self.verify("(assert (<= 0 X_0 1))\n(assert (<= 0 X_1 1))\n(assert (< Y_0 -0))",
                                         scratch: scratch)
        #expect(zeroMargin.standardOutput == "unsat\n", "\(zeroMargin.standardError)")
        // The same with `>`: y1 = relu(x0 - x1) = 0 at the pinned point, so `Y_1 > 0` is
        // unreachable and `Y_1 >= 0` is met; likewise an input pinned from above and below.
        #expect(try Self.verify(pinned + "(assert (> Y_1 0))", scratch: scratch).standardOutput == "unsat\n")
        #expect(Self.firstLine(try Self.verify(pinned + "(assert (>= Y_1 0))", scratch: scratch)) == "sat")
        let inputAbove = try Self.verify("(assert (> X_0 0.5))\n(assert (<= X_0 0.5))\n(assert (<= 0 X_1 1))\n(assert (>= Y_0 0))",
                                         scratch: scratch)
        #expect(inputAbove.standardOutput == "unsat\n", "\(inputAbove.standardError)")
    }

    /// `Y_0 = 0.5` is met by doubles; `Y_0 = 0.3` is met by reals but by no double sum, so no
    /// counterexample can be checked and the answer is unknown: never sat, never unsat.
    @Test func equalityConstraints() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let box = "(assert (<= 0 X_0 1))\n(assert (<= 0 X_1 1))\n"
        let met = try Self.verify(box + "(assert (= Y_0 0.5))", scratch: scratch)
        #expect(Self.firstLine(met) == "sat", "\(met.standardError)")
        #expect(met.standardOutput.contains("(Y_0 0.5)"))
        let realOnly = try Self.verify(box + "(assert (= Y_0 0.3))", scratch: scratch)
        #expect(realOnly.standardOutput == "unknown\n", "\(realOnly.standardOutput) \(realOnly.standardError)")
        #expect(realOnly.standardError.contains("note: "))
    }

    /// With no output constraint every input of the region is unsafe; the unmentioned outputs
    /// are still printed. The witness passes `certus check`.
    @Test func propertyWithoutOutputConstraintIsSat() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let result = scratch.path("result.txt")
        let run = try Self.verify("(assert (<= 0.125 X_0 0.25))\n(assert (<= -1 X_1 -0.5))\n", ["--result", result], scratch: scratch)
        #expect(Self.firstLine(run) == "sat")
        #expect(run.standardOutput.contains("(Y_0 ") && run.standardOutput.contains("(Y_1 "))
        let check = try CertusExecutable.run(["check", Self.network, scratch.path("p.vnnlib"), result])
        #expect(check.status == 0 && check.standardOutput.hasPrefix("valid"), "\(check.standardOutput)")
        // An output that is declared but never mentioned changes nothing.
        let unmentioned = try Self.verify("(assert (<= 0 X_0 1))\n(assert (<= 0 X_1 1))\n(assert (<= Y_1 -1))", scratch: scratch)
        #expect(unmentioned.standardOutput == "unsat\n")
    }

    @Test func hugeAndTinyNumerals() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let box = "(assert (<= 0 X_0 1))\n(assert (<= 0 X_1 1))\n"
        #expect(try Self.verify(box + "(assert (<= Y_0 -1e308))", scratch: scratch).standardOutput == "unsat\n")
        #expect(try Self.verify(box + "(assert (>= Y_0 1e400))", scratch: scratch).standardOutput == "unsat\n")
        #expect(Self.firstLine(try Self.verify(box + "(assert (<= Y_1 1e400))", scratch: scratch)) == "sat")
        // A subnormal input region: the witness must lie in it exactly.
        let result = scratch.path("tiny.txt")
        let tiny = try Self.verify("(assert (<= 1e-320 X_0 1e-300))\n(assert (= X_1 -0))\n(assert (<= Y_0 1e-300))", ["--result", result],
                                   scratch: scratch)
        #expect(Self.firstLine(tiny) == "sat", "\(tiny.standardError)")
        let check = try CertusExecutable.run(["check", Self.network, scratch.path("p.vnnlib"), result])
        #expect(check.status == 0, "\(check.standardOutput)")
    }

    @Test func negativeZeroIsZero() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let run = try Self.verify("(assert (<= -0 X_0 -0))\n(assert (<= -0.0 X_1 0))\n(assert (<= Y_0 -0))", scratch: scratch)
        #expect(run.standardOutput == "sat\n((X_0 0.0)\n (X_1 0.0)\n (Y_0 0.0)\n (Y_1 0.0))\n")
        // relu(x0 + x1) < -0 is impossible; decided by Z3 (see `strictInequalitiesAreExact` for
        // why not by the default engine).
        #expect(try Self.verify("(assert (<= 0 X_0 1))\n(assert (<= 0 X_1 1))\n(assert (< Y_0 -0))", Self.exact,
                                scratch: scratch).standardOutput == "unsat\n")
    }
}

/// Bad input through the command line: one `error:` line naming the file, status 2, nothing on
/// standard output.
@Suite struct HostileInputCommandLineTests {
    static let network = HostilePropertyTests.network

    static func expectError(_ arguments: [String], mentioning mention: String,
                            sourceLocation: SourceLocation = #_sourceLocation) throws {
        let run = try CertusExecutable.run(arguments)
        #expect(run.status == 2, "\(run.standardError)", sourceLocation: sourceLocation)
        #expect(run.standardOutput.isEmpty, sourceLocation: sourceLocation)
        let lines = run.standardError.split(separator: "\n")
        #expect(lines.count == 1 && lines[0].hasPrefix("error: ") && lines[0].contains(mention),
                "\(run.standardError)", sourceLocation: sourceLocation)
    }

    static func declarations(inputs: Int, outputs: Int) -> String {
        (0..<inputs).map { "(declare-const X_\($0) Real)\n" }.joined() + (0..<outputs).map { "(declare-const Y_\($0) Real)\n" }.joined()
    }

    @Test func declaredCountsMustMatchTheNetworkBothWays() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        for (inputs, outputs, mention) in [(3, 2, "declares 3 inputs X_i but"), (1, 2, "declares 1 inputs X_i but"),
                                           (2, 3, "declares 3 outputs Y_j but"), (2, 1, "declares 1 outputs Y_j but")] {
            let property = try scratch.write("p\(inputs)\(outputs).vnnlib", Self.declarations(inputs: inputs, outputs: outputs) + "(assert (<= Y_0 0))\n")
            try Self.expectError(["verify", Self.network, property], mentioning: mention)
        }
    }

    @Test func readerLimitsAndDeclarationErrors() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let two = Self.declarations(inputs: 2, outputs: 2)
        let cases: [(String, String)] = [
            (String(repeating: "(", count: 100_000), "depth.vnnlib:1:10001: parentheses are nested more than 10000 deep"),
            (two + "(declare-const X_1 Real)\n", "dup.vnnlib:5:16: 'X_1' is already declared at line 2, column 16"),
            (two + "(assert (<= Y_2 0))\n", "undeclared.vnnlib:5:13: variable 'Y_2' is used but not declared"),
            (two + "(assert (<= X_0 1e99999))\n", "numeral.vnnlib:5:17: numeral '1e99999' is out of range"),
            (two + "(assert (<= (* \(String(repeating: "1e1000 ", count: 10))X_0) 1))\n", "product.vnnlib:5:13: the product's exact value needs more than"),
        ]
        let names = ["depth", "dup", "undeclared", "numeral", "product"]
        // Disjunctions crafted to multiply out: each of twelve writes a bound of a 1,000-input
        // box, 4,096 copies of the box in all; the case memory cap stops them first.
        let bomb = Self.declarations(inputs: 1_000, outputs: 2)
            + (0..<12).map { "(assert (or (<= X_\($0) 1) (<= X_\($0) 2)))\n" }.joined()
        let bombProperty = try scratch.write("bomb.vnnlib", bomb)
        try Self.expectError(["verify", Self.network, bombProperty],
                             mentioning: ": the property's disjunctive normal form needs more than 256 MiB")
        for ((text, mention), name) in zip(cases, names) {
            let property = try scratch.write("\(name).vnnlib", text)
            try Self.expectError(["verify", Self.network, property], mentioning: mention)
        }
    }

    @Test func hostileNetworks() throws {
        let property = try Scratch()
        defer { property.remove() }
        let vnnlib = try property.write("p.vnnlib", Self.declarations(inputs: 2, outputs: 2) + "(assert (<= Y_0 0))\n")
        // A header claiming 10^12 weights with three stored.
        try Self.expectError(["verify", Fixtures.url("onnx/bad_huge_dims.onnx").path, vnnlib],
                             mentioning: "declares 1000000000000 elements but its data holds 3")
        // Fuzzer findings: node names with control characters still give one line.
        for name in ["crash-b51d4d3f0054ad3e3e3ed2c59c877fea7da3b642.onnx", "crash-f3c61a6eceb524f7515b3de68b93b03a2a4c2731.onnx"] {
            try Self.expectError(["verify", Fixtures.url("fuzz-regressions/onnx/\(name)").path, vnnlib], mentioning: name)
        }
        try Self.expectError(["verify", FileManager.default.temporaryDirectory.path, vnnlib], mentioning: "cannot read the file")
    }
}
