import ExactArithmetic
import NetworkIR
import VNNLIB

/// Decides whether a candidate input is a counterexample, by running the network concretely.
///
/// Validity is exact: the input's doubles, taken at their exact values, must lie in a case's
/// exact box and input constraints, and the float64 outputs (again at their exact values) must
/// satisfy every output constraint of that case (`SpecificationCase.isSatisfied`, tolerance
/// 0). One exception, because otherwise no double could ever be a counterexample: where the
/// box's exact interval holds no double (an input fixed at a decimal such as `0.1`, without
/// input constraints beyond the box), the input may take one of the two doubles enclosing it,
/// and then the outputs must in addition violate the case for every real input in that gap,
/// shown by outward-rounded interval propagation (`violatesThroughoutGaps`), so the exact
/// property is violated too. The float32 run (the input rounded to `Float`, dot products accumulated in float32) is
/// measured as well, because that is what an ONNX runtime and VNN-COMP's checker replay; see
/// `ReportingPolicy` for when a valid counterexample is reported. This is the concrete check
/// that separates "unsafe" from "unsafe (unconfirmed)" (nnenum `result.py`).
public struct CounterexampleCheck: Sendable {
    /// The network.
    public let network: Network
    /// The property.
    public let specification: Specification

    /// Pairs a network with a specification.
    /// - Throws: `SearchError` when the declared sizes differ from the network's or a
    ///   constraint mentions an undeclared variable.
    public init(network: Network, specification: Specification) throws {
        guard specification.inputCount == network.inputSize else {
            throw SearchError.inputCountMismatch(declared: specification.inputCount, network: network.inputSize)
        }
        guard specification.outputCount == network.outputSize else {
            throw SearchError.outputCountMismatch(declared: specification.outputCount, network: network.outputSize)
        }
        for (index, c) in specification.cases.enumerated() {
            guard c.box.count == specification.inputCount else {
                throw SearchError.boxSizeMismatch(caseIndex: index, count: c.box.count, expected: specification.inputCount)
            }
            for constraint in c.inputConstraints + c.outputConstraints {
                for (variable, _) in constraint.expression.terms {
                    let inRange: Bool
                    switch variable {
                    case let .input(i): inRange = i >= 0 && i < specification.inputCount
                    case let .output(j): inRange = j >= 0 && j < specification.outputCount
                    }
                    guard inRange else { throw SearchError.variableOutOfRange(caseIndex: index, variable: variable.description) }
                }
            }
        }
        self.network = network
        self.specification = specification
    }

    /// Measures `input` against case `caseIndex`, valid or not.
    /// - Throws: `SearchError` for an input of the wrong size or a case that does not exist.
    /// - Complexity: one float64 and one float32 network evaluation plus exact arithmetic on
    ///   the case's constraints.
    public func assess(_ input: [Double], caseIndex: Int) throws -> Counterexample {
        guard input.count == network.inputSize else {
            throw SearchError.candidateSizeMismatch(count: input.count, expected: network.inputSize)
        }
        guard specification.cases.indices.contains(caseIndex) else {
            throw SearchError.caseOutOfRange(caseIndex: caseIndex, caseCount: specification.cases.count)
        }
        return measure(input, caseIndex: caseIndex)
    }

    /// The counterexample `input` is, if any: among the cases it violates exactly in float64,
    /// the one with the largest `worstMargin`; nil when it violates none.
    /// - Throws: `SearchError.candidateSizeMismatch` for an input of the wrong size.
    public func check(_ input: [Double]) throws -> Counterexample? {
        guard input.count == network.inputSize else {
            throw SearchError.candidateSizeMismatch(count: input.count, expected: network.inputSize)
        }
        let output = network.evaluate(input)
        let outputFloat = network.evaluateFloat(input.map { Float($0) })
        var best: Counterexample?
        for index in specification.cases.indices {
            let candidate = measure(input, caseIndex: index, output: output, outputFloat: outputFloat)
            guard candidate.isValid else { continue }
            if best.map({ candidate.worstMargin > $0.worstMargin }) ?? true { best = candidate }
        }
        return best
    }

    /// `assess` without argument checks, for callers that built the input themselves.
    func measure(_ input: [Double], caseIndex: Int) -> Counterexample {
        measure(input, caseIndex: caseIndex, output: network.evaluate(input),
                outputFloat: network.evaluateFloat(input.map { Float($0) }))
    }

    func measure(_ input: [Double], caseIndex: Int, output: [Double], outputFloat: [Float]) -> Counterexample {
        let specificationCase = specification.cases[caseIndex]
        let widened = outputFloat.map { Double($0) }
        let box = specificationCase.box
        let inExactBox = box.containsExactly(input)
        let onGaps = !inExactBox && specificationCase.inputConstraints.isEmpty && box.containsUpToGaps(input)
        let inRegion = onGaps || (inExactBox
            && specificationCase.inputConstraints.allSatisfy { $0.holdsExactly(inputs: input, outputs: output) })
        var holdsDouble = specificationCase.outputConstraints.allSatisfy { $0.holdsExactly(inputs: input, outputs: output) }
        var holdsFloat = specificationCase.outputConstraints.allSatisfy { $0.holdsExactly(inputs: input, outputs: widened) }
        if onGaps, holdsDouble || holdsFloat, !violatesThroughoutGaps(specificationCase, around: input) {
            holdsDouble = false
            holdsFloat = false
        }
        return Counterexample(
            input: input, output: output, outputFloat: outputFloat, caseIndex: caseIndex,
            marginDouble: Self.exactMargin(specificationCase, input: input, output: output),
            marginFloat: Self.exactMargin(specificationCase, input: input, output: widened),
            isInRegion: inRegion, isValid: inRegion && holdsDouble, holdsInFloat32: inRegion && holdsFloat)
    }

    /// Whether every point of the exact box's gaps around `input` (its other coordinates kept)
    /// violates the case in exact real arithmetic: the network's outward-rounded interval image
    /// of `InputBox.gapCell` must satisfy every output constraint at its worst corner, computed
    /// in rationals. This is what makes a point at the nearest doubles of a box that holds no
    /// double a counterexample of the exact property.
    func violatesThroughoutGaps(_ specificationCase: SpecificationCase, around input: [Double]) -> Bool {
        let cell = specificationCase.box.gapCell(around: input)
        let image = network.intervalImage(layers: 0..<network.layers.count, lower: cell.lower, upper: cell.upper)
        for constraint in specificationCase.outputConstraints {
            var worst = constraint.expression.constant
            for (variable, coefficient) in constraint.expression.terms {
                let low: Double, high: Double
                switch variable {
                case let .input(i): low = cell.lower[i]; high = cell.upper[i]
                case let .output(j): low = image.lower[j]; high = image.upper[j]
                }
                guard let chosen = Rational(exactly: coefficient.signum > 0 ? high : low) else { return false }
                worst = worst + coefficient * chosen
            }
            switch constraint.relation {
            case .lessOrEqual: if worst.signum > 0 { return false }
            case .less: if worst.signum >= 0 { return false }
            case .equal: return false
            }
        }
        return true
    }

    /// The smallest exact slack of the case's output constraints, rounded to the nearest
    /// double; `−∞` when a value is not finite, `+∞` without output constraints.
    static func exactMargin(_ specificationCase: SpecificationCase, input: [Double], output: [Double]) -> Double {
        var margin = Double.infinity
        for constraint in specificationCase.outputConstraints {
            guard let value = constraint.expression.exactValue(inputs: input, outputs: output) else { return -.infinity }
            let slack: Rational
            switch constraint.relation {
            case .lessOrEqual, .less: slack = -value
            case .equal: slack = value.signum < 0 ? value : -value
            }
            margin = min(margin, slack.toDouble())
        }
        return margin
    }
}
