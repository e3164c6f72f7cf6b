import Foundation
import NetworkIR
import ONNXImport

/// libFuzzer entry point for the ONNX importer.
///
/// Any bytes must either import into a `Network` whose sizes are consistent, or fail with an
/// `ONNXError` (a `NetworkError` is accepted too) whose message is one line naming the file.
/// Imported networks are evaluated once when small, to exercise every layer the importer built.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzONNX(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = data.map { Data(bytes: $0, count: size) } ?? Data()
    let name = "fuzz.onnx"
    do {
        let network = try ONNXLoader.load(data: bytes, fileName: name)
        check(network)
    } catch let error as ONNXError {
        let message = error.description
        precondition(message.hasPrefix(name + ":"), "error message does not name the file: \(message)")
        precondition(!message.contains(where: \.isNewline), "error message spans lines: \(message)")
    } catch let error as NetworkError {
        precondition(!error.description.contains(where: \.isNewline), "error message spans lines: \(error)")
    } catch {
        preconditionFailure("load threw an unexpected error type: \(error)")
    }
    return 0
}

/// Size invariants of the imported chain, and one evaluation of small networks.
private func check(_ network: Network) {
    precondition(network.layerSizes.count == network.layers.count, "one size per layer")
    var size = network.inputSize
    var work = 0
    for (index, layer) in network.layers.enumerated() {
        switch layer {
        case let .affine(affine):
            precondition(affine.inputSize == size, "affine layer \(index) does not fit its input")
            precondition(affine.weights.storage.count == affine.weights.rows * affine.weights.columns, "matrix storage")
            precondition(affine.bias.count == affine.outputSize, "bias size")
            work += affine.weights.storage.count
            size = affine.outputSize
        case let .divide(divisors):
            precondition(divisors.count == size && !divisors.contains(0), "divide layer \(index)")
        case .relu:
            break
        }
        precondition(network.layerSizes[index] == size, "recorded size of layer \(index)")
    }
    guard network.inputSize <= 1 << 16, work <= 1 << 22 else { return }
    let outputs = network.evaluate(Array(repeating: 0.5, count: network.inputSize))
    precondition(outputs.count == network.outputSize, "evaluation returned the wrong number of outputs")
}

