import Foundation
import Testing
@testable import VNNLIB

/// The VNN-LIB 2.0 reader: the standard's own test files, the product layout, and rejected
/// queries with their one error line.
@Suite struct QueryParserTests {
    /// The standard's `syntax/test` folder, from `VNNLIB_STANDARD_TESTS`.
    static let standardFolder = ProcessInfo.processInfo.environment["VNNLIB_STANDARD_TESTS"]

    @Test(.enabled(if: standardFolder != nil, "set VNNLIB_STANDARD_TESTS to the standard's syntax/test folder"))
    func everyStandardTestFileParses() throws {
        let folder = URL(fileURLWithPath: Self.standardFolder ?? "")
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".vnnlib") }.sorted()
        #expect(!names.isEmpty)
        for name in names {
            let url = folder.appendingPathComponent(name)
            #expect(QueryParser.isQuery(contentsOf: url), "\(name)")
            do {
                let query = try QueryParser.parse(contentsOf: url)
                #expect(!query.networks.isEmpty, "\(name)")
            } catch {
                Issue.record("\(name): \(error)")
            }
        }
    }

    static let twoNetworks = """
    (vnnlib-version <2.0>)
    ; f against g on the same input, with one hidden node of f
    (declare-network f
        (declare-input A Real [1,2])
        (declare-hidden H Real [3] "h0")
        (declare-output B Real [])
    )
    (declare-network g
        (isomorphic-to f)
        (declare-input C Real [1,2])
        (declare-output D Real [])
    )
    (assert (and (== A[0,0] C[0,0]) (== C[0,1] A[0,1])))
    (assert (and (>= A[0,0] -1) (<= A[0,0] 1) (>= A[0,1] 0.5) (<= A[0,1] 0.75)))
    (assert (!= B D))
    (assert (<= (+ H[2] (* 2 B)) 3))
    """

    static let ordered = """
    (vnnlib-version <2.0>)
    (declare-network f (declare-input X Real [2]) (declare-output Y Real []))
    (declare-network g (equal-to f) (declare-input U Real [2]) (declare-output V Real []))
    (assert (and (>= X[0] -1) (<= X[0] 1) (>= U[0] 0.5) (<= U[0] 2) (>= X[1] 0) (<= X[1] 1)))
    (assert (< (+ X[0] 0.25) U[0]))
    (assert (== X[1] U[1]))
    (assert (> Y V))
    """

    /// `X[0] + 1/4 < U[0]` makes U[0] = X[0] + D: D > 1/4 from the comparison, and
    /// D ∈ [1/2 − 1, 2 − (−1)] from the boxes; the box on U[0] stays as a constraint on X[0] + D.
    @Test func orderedInputBecomesBasePlusOffset() throws {
        let (layout, spec) = try QueryParser.parse(text: Self.ordered, fileName: "q.vnnlib").translate()
        #expect(layout.inputCount == 3)
        #expect(layout.inputIndices == [[0, 1], [0, 1]])
        #expect(layout.inputOffsets == [[nil, nil], [2, nil]])
        #expect(layout.networkInputs(1, at: [0.5, 0.25, 1]) == [1.5, 0.25])
        #expect(spec.cases.count == 1)
        let specCase = spec.cases[0]
        #expect(specCase.box.lower == [q(-1), q(0), q(1, 4)] && specCase.box.upper == [q(1), q(1), q(3)])
        // The strict bound D > 1/4 and U[0] ∈ [1/2, 2] over X[0] + D.
        #expect(specCase.inputConstraints.count == 3)
        #expect(specCase.isSatisfied(inputs: [0.5, 0.5, 0.75], outputs: [0, -1]))
        #expect(!specCase.isSatisfied(inputs: [0.5, 0.5, 0.25], outputs: [0, -1]))
        #expect(!specCase.isSatisfied(inputs: [1, 0.5, 1.5], outputs: [0, -1]))
    }

    @Test func orderWithoutBoxesStaysTwoInputs() throws {
        let text = Self.ordered.replacingOccurrences(of: "(>= U[0] 0.5) (<= U[0] 2) ", with: "")
        let (layout, _) = try QueryParser.parse(text: text, fileName: "q.vnnlib").translate()
        #expect(layout.inputOffsets == [[nil, nil], [nil, nil]])
        #expect(layout.inputIndices == [[0, 1], [2, 1]])
    }

    @Test func equalInputsShareOneProductInput() throws {
        let query = try QueryParser.parse(text: Self.twoNetworks, fileName: "q.vnnlib")
        #expect(query.networks.map(\.name) == ["f", "g"])
        #expect(query.networks[1].equivalence == .isomorphicTo(0))
        let (layout, spec) = try query.translate()
        #expect(layout.inputCount == 2)
        #expect(layout.inputIndices == [[0, 1], [0, 1]])
        // Outputs: B, then H (3), then D.
        #expect(layout.outputStart == [0, 4])
        #expect(layout.hiddenStart == [[1], []])
        #expect(spec.outputCount == 5)
        // `!=` is two strict cases over one box; the equalities left no constraint behind.
        #expect(spec.cases.count == 2)
        #expect(spec.cases.allSatisfy { $0.inputConstraints.isEmpty && $0.box.lower == [q(-1), q(1, 2)] && $0.box.upper == [q(1), q(3, 4)] })
        #expect(spec.cases[0].outputConstraints.contains(constraint([(.output(0), q(1)), (.output(4), q(-1))], .zero, .less)))
        #expect(spec.cases[0].outputConstraints.contains(constraint([(.output(0), q(2)), (.output(3), q(1))], q(-3))))
        #expect(spec.cases[1].outputConstraints.contains(constraint([(.output(0), q(-1)), (.output(4), q(1))], .zero, .less)))
    }

    @Test func oneOnlyHeaderMarksAQuery() {
        #expect(QueryParser.isQuery(bytes: Array("; c\n(vnnlib-version <2.0>)".utf8)))
        #expect(!QueryParser.isQuery(bytes: Array("(declare-const X_0 Real)".utf8)))
    }

    static let header = "(vnnlib-version <2.0>)\n(declare-network n\n (declare-input X Real [2])\n (declare-output Y real [])\n)\n"

    /// Each rejected text and the exact error line it must give.
    @Test(arguments: [
        (header + "(assert (= X[0] 1))", "q.vnnlib:6:10: VNN-LIB 2.0 writes equality as '==', not '='"),
        (header + "(assert (<= Z 1))", "q.vnnlib:6:13: variable 'Z' is used but not declared"),
        (header + "(assert (<= X 1))", "q.vnnlib:6:13: 'X' has shape [2] and needs 1 index, but 0 are given"),
        (header + "(assert (<= X[2] 1))", "q.vnnlib:6:13: index [2] is out of range for 'X' of shape [2]"),
        (header + "(assert (<= (* X[0] X[1]) 1))",
         "q.vnnlib:6:13: non-linear product: at most one factor of '*' may mention a variable"),
        (header + "(assert (<= n 1))", "q.vnnlib:6:13: 'n' is a network, not a variable"),
        (header + "(assert (<= X[0] Y 1))", "q.vnnlib:6:9: '<=' takes exactly 2 arguments but has 3"),
        (header + "(assert (<= X[0] 1))\n(declare-network m (declare-input U Real [1]) (declare-output V Real [1]))",
         "q.vnnlib:7:2: network declarations must come before all assertions"),
        ("(vnnlib-version <3.0>)", "q.vnnlib:1:17: VNN-LIB version 3.0 is not one Certus reads (2.0, 2.1; 1.0 files have no header)"),
        (header + "(declare-network m (equal-to n) (declare-input U Real [3]) (declare-output V Real []))",
         "q.vnnlib:6:1: network 'm' is equal-to 'n' but its inputs and outputs differ in element types and shapes"),
        (header + "(declare-network X (declare-input U Real [1]) (declare-output V Real []))",
         "q.vnnlib:6:18: 'X' is already declared at line 3, column 17"),
        ("(vnnlib-version <2.0>)\n(declare-network n (declare-output Y Real []) (declare-input X Real [1]))",
         "q.vnnlib:2:48: 'declare-input' is out of order: a network lists equal-to/isomorphic-to, then inputs, hidden nodes, outputs"),
        ("(vnnlib-version <2.0>)\n(declare-network n (declare-input X Real [2 3]) (declare-output Y Real []))",
         "q.vnnlib:2:45: expected ',' or ']' but found '3'"),
        ("(vnnlib-version <2.0>)\n(declare-network n (declare-input X Real [1]) (declare-hidden H Real [1] \"a\nb\") (declare-output Y Real []))",
         "q.vnnlib:2:74: expected a closing '\"' on the same line but found end of line"),
    ])
    func rejectedQueriesNameTheirLine(text: String, message: String) {
        do {
            _ = try QueryParser.parse(text: text, fileName: "q.vnnlib")
            Issue.record("parsed: \(text)")
        } catch {
            #expect("\(error)" == message)
        }
    }

    /// Rules that are Certus's, not the grammar's, are checked when the query is translated.
    @Test(arguments: [
        ("(declare-network n (declare-input X float32 [1]) (declare-output Y float32 []))", "q.vnnlib:2:35: element type 'float32': Certus proves properties of the real-valued network, which is not sound for floating-point semantics; declare the type real, or pass --float-as-real to accept that"),
        ("(declare-network n (declare-input X int32 [1]) (declare-output Y Real []))", "q.vnnlib:2:35: element type 'int32' is not supported; Certus verifies real-valued queries (type real)"),
        ("(declare-network n (declare-input X Real [1]) (declare-input Z Real [1]) (declare-output Y Real []))", "q.vnnlib:2:18: network 'n' declares 2 inputs and 1 outputs; Certus verifies networks with one input and one output tensor (the standard's SIO)"),
    ])
    func unsupportedFeaturesAreRejectedWhenTranslating(declaration: String, message: String) throws {
        let query = try QueryParser.parse(text: "(vnnlib-version <2.0>)\n" + declaration, fileName: "q.vnnlib")
        #expect(throws: VNNLIBError.self) { try query.translate() }
        do { _ = try query.translate() } catch { #expect("\(error)" == message) }
    }

    @Test func floatTypesWithConsentAndTheSameLimitsAsOnePointZero() throws {
        let text = "(vnnlib-version <2.0>)\n(declare-network n (declare-input X float32 [1]) (declare-output Y float32 []))\n(assert (<= Y X[0]))"
        let query = try QueryParser.parse(text: text, fileName: "q.vnnlib")
        #expect(try query.translate(options: .init(acceptsFloatTypesAsReal: true)).1.cases.count == 1)
        let deep = "(vnnlib-version <2.0>)\n(declare-network n (declare-input X Real [1]) (declare-output Y Real []))\n(assert "
            + String(repeating: "(and ", count: 50) + "(<= Y 1)" + String(repeating: ")", count: 51)
        var limits = PropertyParser.Limits()
        limits.maximumDepth = 20
        #expect(throws: VNNLIBError.nestingTooDeep(SourceLocation(fileName: "q.vnnlib", line: 3, column: 104), limit: 20)) {
            try QueryParser.parse(text: deep, fileName: "q.vnnlib", limits: limits)
        }
        #expect(throws: VNNLIBError.self) {
            try QueryParser.parse(text: "(vnnlib-version <2.0>)\n(declare-network n (declare-input X Real [100000,100000]) (declare-output Y Real []))",
                                  fileName: "q.vnnlib")
        }
    }
}
