import NetworkIR

/// Dense layers of generated networks are `NetworkIR.AffineLayer`s; ONNX stores them in float32.
extension AffineLayer {
    /// The same layer with every parameter rounded to the nearest float32, as the ONNX file
    /// stores it.
    public var roundedToFloat32: AffineLayer {
        AffineLayer(weights: Matrix(rows: weights.rows, columns: weights.columns,
                                    storage: weights.storage.map { Double(Float($0)) }),
                    bias: bias.map { Double(Float($0)) })
    }
}
