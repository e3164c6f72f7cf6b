/// The margin's subgradient through the attack's (sparse) form of the network.
extension MarginObjective {
    /// The subgradient of the slack of constraint `active` with respect to the input, as
    /// `gradient(network:input:trace:output:active:)` computes it, with `trace` from
    /// `network.evaluateTrace(input)`.
    /// - Complexity: one backward pass over the network's nonzero weights.
    public func gradient(network: AttackNetwork, input: [Double], trace: [[Double]], output: [Double],
                         active: Int) -> [Double] {
        gradient(active: active, input: input, output: output) { network.inputGradient(of: $0, at: input, trace: trace) }
    }
}
