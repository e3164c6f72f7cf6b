extension ONNXLoader {
    /// The operators the importer accepts (on the variable chain, or folded when constant),
    /// sorted; the VNN-LIB 2.0 `supports --onnx-operators` answer.
    public static var supportedOperators: [String] {
        GraphImporter.variableOperators.union(GraphImporter.graphOperators).union(["Constant"]).sorted()
    }
}
