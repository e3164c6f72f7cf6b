import ExactArithmetic
import VNNLIB

/// A local-robustness property in SoundnessBench's form: an L∞ box around a point, and the
/// unsafe set "some other class scores at least as high as the label",
/// `(assert (or (and (>= Y_j Y_label)) …))` (SoundnessBench's `gen_utils.save_vnnlib`).
public struct RobustnessProperty: Sendable, Equatable {
    /// Lower bound of each input (a float32 value).
    public var lower: [Double]
    /// Upper bound of each input (a float32 value).
    public var upper: [Double]
    /// The class the network should keep.
    public var label: Int
    /// The number of outputs.
    public var classCount: Int

    /// Creates a property. - Precondition: bounds of equal length, `lower ≤ upper`, label in range.
    public init(lower: [Double], upper: [Double], label: Int, classCount: Int) {
        precondition(lower.count == upper.count && zip(lower, upper).allSatisfy { $0 <= $1 }, "invalid box")
        precondition(classCount >= 2 && (0..<classCount).contains(label), "invalid label")
        self.lower = lower
        self.upper = upper
        self.label = label
        self.classCount = classCount
    }

    /// The other classes, each one case of the unsafe set.
    public var targets: [Int] { (0..<classCount).filter { $0 != label } }

    /// Whether `point` lies in the box.
    public func contains(_ point: [Double]) -> Bool {
        point.count == lower.count && point.indices.allSatisfy { lower[$0] <= point[$0] && point[$0] <= upper[$0] }
    }

    /// The property as the VNN-LIB parser would produce it: one case per other class `j`,
    /// with the constraint `Y_label − Y_j ≤ 0` over the exact box.
    public var specification: Specification {
        let box = InputBox(lower: lower.map { Rational(exactly: $0) }, upper: upper.map { Rational(exactly: $0) })
        let cases = targets.map { j in
            SpecificationCase(box: box, outputConstraints: [LinearConstraint(
                LinearExpression(terms: [(.output(label), .one), (.output(j), Rational(-1))]), .lessOrEqual)])
        }
        return Specification(inputCount: lower.count, outputCount: classCount, cases: cases)
    }

    /// The VNN-LIB 1.0 text. Bounds are exact decimals of the stored doubles; the comment says
    /// nothing about whether a counterexample was planted.
    /// - Parameter comment: lines put at the top, each prefixed with `; `.
    public func vnnlib(comment: [String]) -> String {
        var lines = comment.map { "; " + $0 }
        for i in lower.indices { lines.append("(declare-const X_\(i) Real)") }
        for j in 0..<classCount { lines.append("(declare-const Y_\(j) Real)") }
        lines.append("")
        lines.append("; input box")
        for i in lower.indices {
            lines.append("(assert (<= X_\(i) \(ExactDecimal.string(upper[i]))))")
            lines.append("(assert (>= X_\(i) \(ExactDecimal.string(lower[i]))))")
        }
        lines.append("")
        lines.append("; unsafe: some other class scores at least as high as class \(label)")
        let disjuncts = targets.map { "(and (>= Y_\($0) Y_\(label)))" }.joined(separator: " ")
        lines.append("(assert (or \(disjuncts)))")
        return lines.joined(separator: "\n") + "\n"
    }
}
