/// One disjunct of a property's unsafe set: an input region and a conjunction of output
/// constraints. The point `x` with network output `y` is a counterexample for this case when
/// `x` lies in the box, satisfies every input constraint, and `(x, y)` satisfies every output
/// constraint.
public struct SpecificationCase: Sendable, Hashable {
    /// Single-variable bounds on the inputs.
    public var box: InputBox
    /// Further linear constraints that mention only inputs (including strict bounds).
    public var inputConstraints: [LinearConstraint]
    /// Linear constraints that mention outputs (possibly mixed with inputs).
    public var outputConstraints: [LinearConstraint]

    public init(box: InputBox, inputConstraints: [LinearConstraint] = [], outputConstraints: [LinearConstraint]) {
        self.box = box
        self.inputConstraints = inputConstraints
        self.outputConstraints = outputConstraints
    }

    /// Whether `(inputs, outputs)` lies in this case's unsafe set, evaluated exactly.
    public func isSatisfied(inputs: [Double], outputs: [Double]) -> Bool {
        box.containsExactly(inputs)
            && inputConstraints.allSatisfy { $0.holdsExactly(inputs: inputs, outputs: outputs) }
            && outputConstraints.allSatisfy { $0.holdsExactly(inputs: inputs, outputs: outputs) }
    }

    /// The smallest margin of the output constraints at the point (double precision): positive
    /// means strictly inside the unsafe set. `+∞` when there is no output constraint.
    public func outputMargin(inputs: [Double], outputs: [Double]) -> Double {
        outputConstraints.map { $0.margin(inputs: inputs, outputs: outputs) }.min() ?? .infinity
    }
}
