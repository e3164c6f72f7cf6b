import FileReading
import Foundation
import NetworkIR
import ONNXImport
import Verifier
import VNNLIB

/// A VNN-LIB 2.0 query and the models named on the command line (`--network NAME=MODEL`),
/// checked against each other as the standard's `verify` command requires: one model for each
/// declared network except those marked `equal-to` (which reuse their target's), no model for
/// an unknown or `equal-to` name, `isomorphic-to` models with the same structure.
enum QueryInstance {
    /// Reads everything; any problem becomes an `InputError` naming the file.
    static func load(query path: String, networks arguments: [String], floatAsReal: Bool) throws -> QueryProblem {
        let query: Query
        let layout: ProductLayout
        let specification: Specification
        do {
            query = try QueryParser.parse(contentsOf: URL(fileURLWithPath: path))
            (layout, specification) = try query.translate(options: .init(acceptsFloatTypesAsReal: floatAsReal))
        } catch let error as VNNLIBError {
            throw InputError(description: error.description)
        }
        if let (element, side) = firstUnboundedInput(query: query, layout: layout, specification: specification) {
            throw InputError(description: "\(path): input \(element) has no \(side) bound; every input needs a lower and an upper bound, as in (assert (>= \(element) -1)) and (assert (<= \(element) 1))")
        }
        var modelPaths: [String: String] = [:]
        for argument in arguments {
            guard let equals = argument.firstIndex(of: "="), equals != argument.startIndex else {
                throw InputError(description: "--network \(argument): expected NAME=MODEL.onnx")
            }
            let name = String(argument[..<equals]), model = String(argument[argument.index(after: equals)...])
            guard let declaration = query.networks.first(where: { $0.name == name }) else {
                throw InputError(description: "--network \(argument): \(path) declares no network named '\(name)'")
            }
            if case .equalTo = declaration.equivalence {
                throw InputError(description: "--network \(argument): '\(name)' is declared equal-to another network (\(declaration.location)) and takes that network's model")
            }
            guard modelPaths[name] == nil else { throw InputError(description: "--network \(argument): '\(name)' is given twice") }
            modelPaths[name] = model
        }
        var networks: [Network] = [], protos: [Onnx_ModelProto?] = [], files: [String] = []
        for declaration in query.networks {
            if case let .equalTo(target)? = declaration.equivalence {
                networks.append(networks[target])
                protos.append(protos[target])
                files.append(files[target])
                continue
            }
            guard let model = modelPaths[declaration.name] else {
                throw InputError(description: "\(declaration.location): network '\(declaration.name)' has no model; give --network \(declaration.name)=MODEL.onnx")
            }
            let network = try importing(model) { try ONNXLoader.load(contentsOf: URL(fileURLWithPath: model), fileName: model) }
            if case let .isomorphicTo(target)? = declaration.equivalence {
                let other = networks[target]
                guard network.layers.map(\.kindName) == other.layers.map(\.kindName), network.layerSizes == other.layerSizes,
                      network.inputSize == other.inputSize else {
                    throw InputError(description: "\(declaration.location): '\(declaration.name)' is isomorphic-to '\(query.networks[target].name)' but \(model) and \(files[target]) differ in structure")
                }
            }
            var proto: Onnx_ModelProto?
            if !declaration.hidden.isEmpty {
                proto = try importing(model) {
                    try ONNXLoader.decodeModel(data: Data(contentsOf: URL(fileURLWithPath: model)), fileName: URL(fileURLWithPath: model).lastPathComponent)
                }
            }
            networks.append(network)
            protos.append(proto)
            files.append(model)
        }
        var hidden: [[Network]] = []
        for (d, declaration) in query.networks.enumerated() {
            var prefixes: [Network] = []
            for node in declaration.hidden {
                if protos[d] == nil {
                    protos[d] = try importing(files[d]) {
                        try ONNXLoader.decodeModel(data: Data(contentsOf: URL(fileURLWithPath: files[d])), fileName: URL(fileURLWithPath: files[d]).lastPathComponent)
                    }
                }
                guard let proto = protos[d] else { continue }
                prefixes.append(try importing(files[d]) {
                    try ONNXLoader.loadPrefix(model: proto, endingAt: node.onnxName ?? "", fileName: URL(fileURLWithPath: files[d]).lastPathComponent)
                })
            }
            hidden.append(prefixes)
        }
        do {
            return try QueryProblem(query: query, layout: layout, specification: specification, networks: networks, hiddenNetworks: hidden)
        } catch let error as QueryProblem.Mismatch {
            throw InputError(description: error.description)
        }
    }

    /// Runs an import step, turning its errors into `InputError`s that name `model`.
    /// The first input element, in a case with a non-empty region, that lacks a lower or an
    /// upper bound (`X[0,1]`, and the side missing), as the 1.0 reader's check does: a query
    /// over every real value of an input is almost always a missing assertion. Offsets of
    /// ordered inputs (`ProductLayout.inputOffsets`) always have bounds.
    private static func firstUnboundedInput(query: Query, layout: ProductLayout,
                                            specification: Specification) -> (String, String)? {
        for specCase in specification.cases where !specCase.box.isEmpty {
            for (d, indices) in layout.inputIndices.enumerated() {
                guard let tensor = query.networks[d].inputs.first else { continue }
                for (element, p) in indices.enumerated() {
                    let side = specCase.box.lower[p] == nil ? "lower" : specCase.box.upper[p] == nil ? "upper" : nil
                    guard let side else { continue }
                    return ("\(tensor.name)[\(multiIndex(element, shape: tensor.shape).map(String.init).joined(separator: ","))]", side)
                }
            }
        }
        return nil
    }

    /// The row-major multi-index of element `element` of a tensor of shape `shape`.
    private static func multiIndex(_ element: Int, shape: [Int]) -> [Int] {
        guard !shape.isEmpty else { return [element] }
        var rest = element
        var index = [Int](repeating: 0, count: shape.count)
        for k in shape.indices.reversed() {
            index[k] = rest % max(1, shape[k])
            rest /= max(1, shape[k])
        }
        return index
    }

    private static func importing<T>(_ model: String, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as ONNXError {
            throw InputError(description: error.description)
        } catch let error as NetworkError {
            throw InputError(description: "\(model): \(error.description)")
        } catch let error as InputError {
            throw error
        } catch {
            throw InputError(description: "\(model): cannot read the file: \(FileReader.reason(error))")
        }
    }
}
