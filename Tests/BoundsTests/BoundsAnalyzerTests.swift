import Foundation
import Search
import Testing
import ExactArithmetic
import NetworkIR
import VNNLIB
@testable import Bounds

@Suite struct BoundsAnalyzerTests {
    static func box(_ pairs: [(Double, Double)]) -> InputBox {
        InputBox(lower: pairs.map { Rational(exactly: $0.0) }, upper: pairs.map { Rational(exactly: $0.1) })
    }

    static let unitBox = box([(-1, 1), (-1, 1)])

    /// `c·v + constant ⋈ 0` from (variable, coefficient) pairs.
    static func constraint(_ terms: [(Variable, Rational)], _ constant: Rational = .zero,
                           _ relation: LinearConstraint.Relation = .lessOrEqual) -> LinearConstraint {
        LinearConstraint(LinearExpression(terms: terms, constant: constant), relation)
    }

    static func r(_ x: Double) -> Rational { ExactReference.r(x) }

    /// y ≥ 2.5 on the hand network (true max 1): interval (max 3) fails, linear (max 2) proves.
    @Test func linearProvesWhatIntervalCannot() throws {
        let net = try IntervalPropagationTests.handNetwork()
        let unsafe = SpecificationCase(box: Self.unitBox, outputConstraints: [Self.constraint([(.output(0), Rational(-1))], Self.r(2.5))])
        let results = try BoundsAnalyzer().analyze(unsafe, of: net, methods: [.interval, .linear, .lagrangian])
        #expect(results.map(\.method) == [.interval, .linear, .lagrangian])
        #expect(results[0].proof == nil)
        #expect(results[1].proof == .constraint(index: 0))
        #expect(results[2].proof == .constraint(index: 0))
        #expect(results[0].unstableCounts == [2])
        // slack e = 2.5 − y ∈ [−0.5, 3.5] by interval.
        #expect(abs(results[0].constraints[0].lower - -0.5) < 1e-12 && results[0].constraints[0].lower <= -0.5)
        #expect(results[1].constraints[0].lower > 0.49 && results[1].constraints[0].lower <= 0.5)
        #expect(results.allSatisfy { $0.seconds >= 0 })
        let stopped = try BoundsAnalyzer().analyze(unsafe, of: net, methods: [.linear, .lagrangian], stopAtFirstProof: true)
        #expect(stopped.count == 1)
    }

    /// y0 = x, y1 = −x: "y0 ≥ ½ and y1 ≥ ½" is unreachable, but neither constraint alone is;
    /// the combination ½(½ − y0) + ½(½ − y1) = ½ proves it.
    @Test func combinationProvesAConjunction() throws {
        let net = try Network(inputShape: [1], layers: [
            .affine(AffineLayer(weights: Matrix([[1], [-1]]), bias: [0, 0])),
            .relu,
            .affine(AffineLayer(weights: Matrix([[1, -1], [-1, 1]]), bias: [0, 0])),
        ])
        let half = Rational(1, 2)
        let unsafe = SpecificationCase(box: Self.box([(-1, 1)]), outputConstraints: [
            Self.constraint([(.output(0), Rational(-1))], half),
            Self.constraint([(.output(1), Rational(-1))], half),
        ])
        let results = try BoundsAnalyzer().analyze(unsafe, of: net, methods: [.interval, .linear, .lagrangian])
        #expect(results[0].proof == nil)
        #expect(results[1].constraints.allSatisfy { !$0.isUnreachable })
        guard case let .combination(weights) = results[1].proof else {
            Issue.record("linear did not prove by combination: \(String(describing: results[1].proof))")
            return
        }
        #expect(weights.count == 2 && weights.allSatisfy { $0 > 0 })
        #expect(results[2].isProved)
        let noCombination = try BoundsAnalyzer(options: .init(combineConstraints: false)).analyze(unsafe, of: net, method: .linear)
        #expect(!noCombination.isProved)
    }

    @Test func equalitiesEmptyBoxesAndInputConstraints() throws {
        let net = try IntervalPropagationTests.handNetwork()
        // y = 5 is impossible (y ≤ 3 by interval).
        let equal = SpecificationCase(box: Self.unitBox, outputConstraints: [Self.constraint([(.output(0), Rational(1))], Rational(-5), .equal)])
        #expect(try BoundsAnalyzer().analyze(equal, of: net, method: .interval).proof == .constraint(index: 0))
        // y = 0 is possible.
        let reachable = SpecificationCase(box: Self.unitBox, outputConstraints: [Self.constraint([(.output(0), Rational(1))], .zero, .equal)])
        let reachableResults = try BoundsAnalyzer().analyze(reachable, of: net, methods: BoundsMethod.allCases)
        #expect(reachableResults.allSatisfy { !$0.isProved })
        // An empty box.
        let empty = SpecificationCase(box: Self.box([(1, 0), (-1, 1)]), outputConstraints: [])
        #expect(try BoundsAnalyzer().analyze(empty, of: net, method: .linear).proof == .emptyInputRegion)
        // X_0 + X_1 ≥ 3 cannot hold on the unit box: 3 − X_0 − X_1 ≤ 0.
        let inputs = SpecificationCase(box: Self.unitBox,
                                       inputConstraints: [Self.constraint([(.input(0), Rational(-1)), (.input(1), Rational(-1))], Rational(3))],
                                       outputConstraints: [Self.constraint([(.output(0), Rational(-1))], .zero)])
        #expect(try BoundsAnalyzer().analyze(inputs, of: net, method: .interval).proof == .constraint(index: 0))
        // Strictness: the exact relation decides.
        let atZero = ConstraintBound(index: 0, constraint: Self.constraint([(.output(0), .one)], .zero, .less), lower: 0, upper: 1)
        #expect(atZero.isUnreachable)
        var nonStrict = atZero
        nonStrict.constraint.relation = .lessOrEqual
        #expect(!nonStrict.isUnreachable)
    }

    /// 1 − (1/3)·Y_0 ≤ 0 holds at y = 3 exactly (the slack is 0). In doubles, −1/3 rounds to a
    /// coefficient of smaller magnitude and 1 − 3·0.333…3 = 5.5e−17 > 0: without the coefficient
    /// correction this reachable case would be "proved".
    @Test func rationalCoefficientsAreBoundedExactly() throws {
        let net = try Network(inputShape: [1], layers: [.affine(AffineLayer(weights: Matrix([[1]]), bias: [0]))])
        let tight = SpecificationCase(box: Self.box([(3, 3)]), outputConstraints: [Self.constraint([(.output(0), Rational(-1, 3))], .one)])
        let results = try BoundsAnalyzer().analyze(tight, of: net, methods: BoundsMethod.allCases)
        for result in results {
            #expect(!result.isProved, "\(result.method) proved a reachable case")
            #expect(result.constraints[0].lower <= 0 && result.constraints[0].upper >= 0)
        }
        // A hair more and it is unreachable: 1 + 1e−9 − (1/3)·Y_0 > 0.
        let apart = SpecificationCase(box: Self.box([(3, 3)]),
                                      outputConstraints: [Self.constraint([(.output(0), Rational(-1, 3))], Rational(1_000_000_001, 1_000_000_000))])
        let apartResults = try BoundsAnalyzer().analyze(apart, of: net, methods: BoundsMethod.allCases)
        #expect(apartResults.allSatisfy { $0.isProved })
    }

    @Test func rejectsMismatchedCases() throws {
        let net = try IntervalPropagationTests.handNetwork()
        let wrongBox = SpecificationCase(box: Self.box([(0, 1)]), outputConstraints: [])
        #expect(throws: BoundsError.inputSizeMismatch(expected: 2, actual: 1)) { try BoundsAnalyzer().analyze(wrongBox, of: net, method: .interval) }
        let wrongVariable = SpecificationCase(box: Self.unitBox, outputConstraints: [Self.constraint([(.output(3), .one)])])
        #expect(throws: BoundsError.variableOutOfRange(.output(3), inputs: 2, outputs: 1)) {
            try BoundsAnalyzer().analyze(wrongVariable, of: net, method: .linear)
        }
        #expect(BoundsError.variableOutOfRange(.output(3), inputs: 2, outputs: 1).description
                == "constraint mentions Y_3 but the network has 2 inputs and 1 outputs")
    }

    /// Cases built around a concrete reachable point are sat: no method may prove them. Cases
    /// pushed beyond the sampled range are often proved; when they are, no sample violates them.
    @Test(arguments: 0..<12) func neverProvesAReachableCase(seed: Int) throws {
        var rng = SplitMix64(seed: UInt64(seed) &* 6_700_417 &+ 5)
        let net = try TestNetworks.random(inputs: Int.random(in: 1...4, using: &rng), hiddenLayers: Int.random(in: 1...3, using: &rng),
                                          maxWidth: 6, outputs: 3, using: &rng)
        let box = TestNetworks.randomBox(net.inputSize, using: &rng)
        let inputBox = InputBox(lower: box.lower.map { Rational(exactly: $0) }, upper: box.upper.map { Rational(exactly: $0) })
        let samples = TestNetworks.samples(of: box, count: 2000, using: &rng)
        let outputs = samples.map { net.evaluate($0) }
        let analyzer = BoundsAnalyzer(options: .init(slopeIterations: 10, lagrangianIterations: 40))
        for trial in 0..<4 {
            // Sat: Y_a − Y_b ≥ (value at a sample) − 1e−6, and Y_c ≤ (its value) + 1e−6.
            let point = outputs[Int.random(in: 0..<outputs.count, using: &rng)]
            let (a, b, c) = (trial % 3, (trial + 1) % 3, (trial + 2) % 3)
            let difference = point[a] - point[b] - 1e-6
            let sat = SpecificationCase(box: inputBox, outputConstraints: [
                Self.constraint([(.output(a), Rational(-1)), (.output(b), .one)], Self.r(difference)),
                Self.constraint([(.output(c), .one)], Self.r(-(point[c] + 1e-6))),
            ])
            for result in try analyzer.analyze(sat, of: net, methods: BoundsMethod.allCases) {
                #expect(!result.isProved, "\(result.method) proved a case with a witness (seed \(seed), trial \(trial))")
            }
            // Probably unsat: Y_a ≥ (sampled max) + margin.
            let maximum = outputs.map { $0[a] }.max() ?? 0
            let margin = Double.random(in: 0.01...0.5, using: &rng)
            let high = SpecificationCase(box: inputBox, outputConstraints: [Self.constraint([(.output(a), Rational(-1))], Self.r(maximum + margin))])
            let results = try analyzer.analyze(high, of: net, methods: BoundsMethod.allCases)
            // A method that proves must be consistent with the tighter ones.
            for (i, result) in results.enumerated() where result.isProved {
                let kept = results[i...].allSatisfy { $0.isProved }
                #expect(kept, "a tighter method lost a proof")
            }
        }
    }

    @Test func reportEncodesTheContract() throws {
        let net = try IntervalPropagationTests.handNetwork()
        let spec = Specification(inputCount: 2, outputCount: 1, cases: [
            SpecificationCase(box: Self.unitBox, outputConstraints: [Self.constraint([(.output(0), Rational(-1))], Self.r(2.5))]),
            SpecificationCase(box: InputBox(lower: [.zero, .zero], upper: [nil, .one]), outputConstraints: [Self.constraint([(.output(0), .one)])]),
        ])
        let analyzer = BoundsAnalyzer(options: .init(tightenReportedBounds: true, recordTraces: true))
        let report = try analyzer.report(model: "hand.onnx", property: "p.vnnlib", specification: spec, network: net,
                                         methods: [.interval, .linear, .lagrangian])
        let data = try report.jsonData()
        let object = try JSONSerialization.jsonObject(with: data) as? [String: Any]
        #expect(object?["model"] as? String == "hand.onnx")
        #expect(object?["property"] as? String == "p.vnnlib")
        let methods = object?["methods"] as? [[String: Any]]
        #expect(methods?.map { $0["method"] as? String } == ["interval", "linear", "lagrangian"])
        let firstCase = (methods?[1]["cases"] as? [[String: Any]])?.first
        #expect(firstCase?["case"] as? Int == 0)
        #expect(firstCase?["proved"] as? Bool == true)
        #expect(firstCase?["unstable"] as? [Int] == [2])
        #expect((firstCase?["outputs"] as? [[String: Any]])?.first?["lower"] is Double)
        // The unbounded second case reports null bounds.
        let secondCase = (methods?[0]["cases"] as? [[String: Any]])?.last
        #expect((secondCase?["outputs"] as? [[String: Any]])?.first?["upper"] is NSNull)
        let decoded = try JSONDecoder().decode(BoundsReport.self, from: data)
        #expect(decoded.methods.count == 3 && decoded.methods[0].cases[1].outputs[0].upper.value == .infinity)
        let text = report.text(traces: true)
        #expect(text.contains("method linear"))
        #expect(text.contains("proved (constraint 0 unreachable)"))
        #expect(text.contains("Y_0 ∈ ["))
    }

    /// Cases sharing a box are bounded in one batch; the results match case-by-case analysis.
    @Test func specificationLevelAnalysisMatchesCaseByCase() throws {
        var rng = SplitMix64(seed: 4242)
        let net = try TestNetworks.random(inputs: 3, hiddenLayers: 2, maxWidth: 6, outputs: 3, using: &rng)
        let box = Self.box([(-0.5, 0.5), (0, 1), (-1, 0)])
        let other = Self.box([(-0.1, 0.1), (0, 0.2), (-0.3, -0.1)])
        let cases = [
            SpecificationCase(box: box, outputConstraints: [Self.constraint([(.output(0), .one), (.output(1), Rational(-1))])]),
            SpecificationCase(box: other, outputConstraints: [Self.constraint([(.output(2), .one)], Rational(-1))]),
            SpecificationCase(box: box, outputConstraints: [Self.constraint([(.output(1), .one), (.output(2), Rational(-1))]),
                                                            Self.constraint([(.output(0), Rational(-1))], Rational(1, 4))]),
        ]
        let spec = Specification(inputCount: 3, outputCount: 3, cases: cases)
        let analyzer = BoundsAnalyzer(options: .init(slopeIterations: 5, lagrangianIterations: 10))
        let together = try analyzer.analyze(spec, of: net, methods: BoundsMethod.allCases)
        #expect(together.count == 3)
        for (c, specCase) in cases.enumerated() {
            let alone = try analyzer.analyze(specCase, of: net, methods: BoundsMethod.allCases)
            #expect(together[c].map(\.method) == alone.map(\.method))
            for (a, b) in zip(together[c], alone) {
                #expect(a.outputs == b.outputs)
                #expect(a.proof == b.proof)
                #expect(a.constraints.map(\.lower) == b.constraints.map(\.lower))
                #expect(a.unstableCounts == b.unstableCounts)
            }
        }
    }
}
