import NetworkIR

/// Collects the layers of the imported chain, folding consecutive linear steps when
/// `AffineStep.folded(_:after:)` proves the fold exact, and storing them otherwise.
struct LayerBuilder {
    /// The largest dense matrix the importer builds (2^26 entries, 512 MiB of doubles); a larger
    /// lowering is reported as `ONNXError.layerTooLarge` instead of exhausting memory.
    static let maximumDenseEntries = 1 << 26

    /// The file name for error messages.
    let file: String
    /// Layers already stored.
    private var layers: [Layer] = []
    /// The linear step not yet stored, with the node that produced it.
    private var pending: (step: AffineStep, origin: NodeLocation)?
    /// Every linear step and division appended, unfolded, in order: what one node computes,
    /// when the graph importer runs a single node through a fresh builder.
    private(set) var recorded: [GraphNode.LinearOperation] = []

    init(file: String) {
        self.file = file
    }

    /// Throws unless a `rows × columns` dense matrix fits the size limit.
    static func checkDenseSize(rows: Int, columns: Int, file: String, node: NodeLocation) throws {
        let (entries, overflow) = rows.multipliedReportingOverflow(by: columns)
        guard !overflow, entries <= maximumDenseEntries else {
            throw ONNXError.layerTooLarge(file: file, node: node, rows: rows, columns: columns)
        }
    }

    /// Appends a linear step, folding it into the pending one when that is exact.
    mutating func append(_ step: AffineStep, from node: NodeLocation) throws {
        if step.isIdentity { return }
        recorded.append(.step(step))
        guard let previous = pending else {
            pending = (step, node)
            return
        }
        switch (step, previous.step) {
        case (.diagonal, .diagonal), (.permutation, .permutation), (.diagonal, .sparse):
            break
        case (.sparse, _), (_, .sparse):
            // Not folded: the pending step is stored as it is.
            try flush()
            pending = (step, node)
            return
        default:
            try Self.checkDenseSize(rows: step.outputSize, columns: previous.step.inputSize, file: file, node: node)
        }
        if let folded = AffineStep.folded(step, after: previous.step) {
            pending = folded.isIdentity ? nil : (folded, node)
        } else {
            try flush()
            pending = (step, node)
        }
    }

    /// Appends `y = max(0, x)`.
    mutating func appendReLU() throws {
        try flush()
        layers.append(.relu)
    }

    /// Appends a sigmoid or tanh layer. Not recorded: it is no linear operation, and the graph
    /// importer refuses these operators before running a node through a builder.
    mutating func appendSmooth(_ activation: SmoothActivation) throws {
        try flush()
        layers.append(.smooth(SmoothLayer(activation)))
    }

    /// Appends `y_i = x_i / divisors_i`.
    mutating func appendDivide(_ divisors: [Double]) throws {
        recorded.append(.divide(divisors))
        try flush()
        layers.append(.divide(divisors: divisors))
    }

    /// Stores the pending step and returns all layers.
    mutating func finish() throws -> [Layer] {
        try flush()
        return layers
    }

    /// Stores the pending step as a layer (dense, or sparse when `AffineStep` says so).
    private mutating func flush() throws {
        guard let (step, origin) = pending else { return }
        if !step.materialisesSparse {
            try Self.checkDenseSize(rows: step.outputSize, columns: step.inputSize, file: file, node: origin)
        }
        layers.append(.affine(step.materialised()))
        pending = nil
    }
}
