/// The margin's subgradient through the attack's (sparse) form of the network.
extension MarginObjective {
    /// The subgradient of the slack of constraint `active` with respect to the input, as
    /// `gradient(network:input:trace:output:active:)` computes it, with `trace` from
    /// `network.evaluateTrace(input)`.
    /// - Complexity: one backward pass over the network's nonzero weights.
    public func gradient(network: AttackNetwork, input: [Double], trace: [[Double]], output: [Double],
                         active: Int) -> [Double] {
        let (sign, cotangent) = outputCotangent(active: active, input: input, output: output)
        let row = rows[active]
        var g = row.outputTerms.isEmpty
            ? [Double](repeating: 0, count: input.count)
            : network.inputGradient(of: cotangent, at: input, trace: trace)
        for term in row.inputTerms { g[term.index] += sign * term.coefficient }
        return g
    }
}
