import NetworkIR

/// Concrete evaluation of a `NetworkGraph`'s nodes in one floating-point type, node by node in
/// the model's order: the direct reading of the ONNX graph that lowered chains must agree with.
struct GraphEvaluator<Scalar: BinaryFloatingPoint & Sendable> {
    let nodes: [GraphNode]

    /// Every node's value on `input`.
    func run(_ input: [Scalar]) -> [[Scalar]] {
        var values: [[Scalar]] = []
        values.reserveCapacity(nodes.count)
        for node in nodes {
            let operands = node.operands.map { values[$0] }
            values.append(apply(node.operation, to: operands, input: input))
        }
        return values
    }

    private func apply(_ operation: GraphNode.Operation, to operands: [[Scalar]], input: [Scalar]) -> [Scalar] {
        switch operation {
        case .input:
            return input
        case let .linear(steps):
            var x = operands[0]
            for step in steps { x = apply(step, to: x) }
            return x
        case .relu:
            return operands[0].map { max(0, $0) }
        case let .smooth(function):
            // In the evaluator's own precision, as the chain's evaluators do.
            if Scalar.self == Float.self { return operands[0].map { Scalar(function.value(Float($0))) } }
            return operands[0].map { Scalar(function.value(Double($0))) }
        case let .sum(negateSecond):
            return zip(operands[0], operands[1]).map { negateSecond ? $0 - $1 : $0 + $1 }
        case let .gather(entries):
            return entries.map { operands[$0.operand][$0.index] }
        }
    }

    private func apply(_ operation: GraphNode.LinearOperation, to x: [Scalar]) -> [Scalar] {
        switch operation {
        case let .divide(divisors):
            return zip(x, divisors).map { $0 / Scalar($1) }
        case let .step(.diagonal(scale, shift)):
            return x.indices.map { Scalar(scale[$0]) * x[$0] + Scalar(shift[$0]) }
        case let .step(.permutation(source)):
            return source.map { x[$0] }
        case let .step(.dense(layer)), let .step(.sparse(layer)):
            let w = layer.matrix
            var y = [Scalar](repeating: 0, count: w.rows)
            for i in 0..<w.rows {
                var sum: Scalar = 0
                w.forEachEntry(inRow: i) { j, wij in sum += Scalar(wij) * x[j] }
                y[i] = sum + Scalar(layer.bias[i])
            }
            return y
        }
    }
}
