import Foundation
import NetworkIR

extension ONNXLoader {
    /// Imports the part of a model that computes one intermediate tensor: the graph cut after
    /// the node that produces it, with that tensor as its output. VNN-LIB 2.0 hidden-node
    /// declarations name such a tensor; the node's own name is accepted too (meaning its first
    /// output), since exporters often give both the same name.
    ///
    /// The prefix is imported on its own, so layer folding never crosses the cut: its output
    /// is exactly the tensor's value.
    /// - Throws: `ONNXError.invalidModel` when no node produces `name`, and any import error.
    public static func loadPrefix(model: Onnx_ModelProto, endingAt name: String, fileName: String) throws -> Network {
        let nodes = model.graph.node
        guard let end = nodes.firstIndex(where: { $0.output.contains(name) }) ?? nodes.firstIndex(where: { $0.name == name }) else {
            throw ONNXError.invalidModel(file: fileName, problem: "no node is named '\(name)' or produces a tensor of that name")
        }
        let tensor = nodes[end].output.contains(name) ? name : (nodes[end].output.first ?? name)
        var cut = model
        cut.graph.node = Array(nodes[...end])
        var output = Onnx_ValueInfoProto()
        output.name = tensor
        cut.graph.output = [output]
        return try load(model: cut, fileName: "\(fileName) (cut after '\(tensor)')")
    }
}
