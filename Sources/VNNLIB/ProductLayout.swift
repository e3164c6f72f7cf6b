/// Where each tensor of a 2.0 query sits in the one product network that computes all its
/// networks side by side: product inputs are the query's input elements, with elements that
/// the query asserts equal (`(== A[0] C[0])` at the top level) merged into one; product
/// outputs are, network by network, its output elements and then its hidden nodes' elements.
///
/// Merging matters for proofs, not only for size: bounds see one box over the product's
/// inputs, and an equivalence `f(x)` against `g(x)` stated over two input copies would
/// otherwise let the copies differ inside the box.
///
/// An input element ordered after another of a different network (`(<= X[0] U[0])`, as in a
/// monotonicity query) is read as a sum, `U[0] = X[0] + D` with `D ≥ 0` a product input of its
/// own (`inputOffsets`): bounds over a box of independent inputs would otherwise let `U[0]` fall
/// below `X[0]`, and no split of a box ever removes that part of the input space.
public struct ProductLayout: Sendable, Equatable {
    /// The number of product inputs.
    public var inputCount: Int
    /// For each network, the product input of each element of its (one) input tensor.
    public var inputIndices: [[Int]]
    /// For each network and input element, the product input added to the one in
    /// `inputIndices` (the offset `D` above), or nil.
    public var inputOffsets: [[Int?]]
    /// For each network, the product output where its output tensor starts.
    public var outputStart: [Int]
    /// For each network and each of its hidden declarations, the product output where the
    /// hidden tensor starts.
    public var hiddenStart: [[Int]]
    /// The number of product outputs.
    public var outputCount: Int

    /// The values of network `network`'s input elements at a point of the product's inputs
    /// (offsets added in float64; `QueryProblem` checks that the sum is exact before it
    /// reports such a point).
    public func networkInputs(_ network: Int, at inputs: [Double]) -> [Double] {
        zip(inputIndices[network], inputOffsets[network]).map { base, offset in
            offset.map { inputs[base] + inputs[$0] } ?? inputs[base]
        }
    }

    /// The values of `tensor` (of network `network`) in an assignment of the product's inputs
    /// and outputs, in row-major order.
    public func values(of tensor: TensorDeclaration, network: Int, in query: Query,
                       inputs: [Double], outputs: [Double]) -> [Double] {
        let declaration = query.networks[network]
        switch tensor.role {
        case .input:
            let offset = tensor.firstElement - declaration.inputs[0].firstElement
            return Array(networkInputs(network, at: inputs)[offset..<offset + tensor.elementCount])
        case .output:
            let start = outputStart[network]
            return Array(outputs[start..<start + tensor.elementCount])
        case .hidden:
            let k = declaration.hidden.firstIndex { $0.name == tensor.name } ?? 0
            let start = hiddenStart[network][k]
            return Array(outputs[start..<start + tensor.elementCount])
        }
    }
}
