import Foundation
import NetworkIR
import Testing
import TestSupport
@testable import ONNXImport

/// `Pad` and `AveragePool`: exact affine steps (copies, a constant, sums and an exact division),
/// on small in-memory models whose outputs are known by hand, on the fixtures' layer structure,
/// and on the attributes Certus refuses.
@Suite struct PoolingModelTests {
    typealias M = TestModel
    static let file = "test.onnx"

    static func at(_ index: Int, _ opType: String) -> NodeLocation {
        NodeLocation(index: index, name: "", opType: opType)
    }

    /// Opset 18: pads [1, 2] on axis -1 only, constant 7: [7, x0, x1, x2, 7, 7].
    @Test func padWithAxesAndConstantValueInputs() throws {
        let model = M.model([M.node("Pad", ["x", "pads", "value", "axes"], ["y"])],
                            inputs: [M.valueInfo("x", [1, 3])], output: M.valueInfo("y", [1, 6]), initializers: [
                                M.int64Tensor("pads", [1, 2]), M.tensor("value", [], [7]), M.int64Tensor("axes", [-1]),
                            ], opset: 18)
        let network = try M.load(model)
        #expect(network.evaluate([1, 2, 3]) == [7, 1, 2, 3, 7, 7])
        #expect(network.evaluateFloat([1, 2, 3]) == [7, 1, 2, 3, 7, 7])
    }

    /// Opset 2 form (attributes), a negative pad crops: pads [-1, 1] on a length-3 vector.
    @Test func padAttributesCropAndPad() throws {
        let model = M.model([M.node("Pad", ["x"], ["y"], attributes: [M.attribute("pads", ints: [0, -1, 0, 1]),
                                                                        M.attribute("value", float: -2)])],
                            inputs: [M.valueInfo("x", [1, 3])], output: M.valueInfo("y", [1, 3]), opset: 10)
        #expect(try M.load(model).evaluate([1, 2, 3]) == [2, 3, -2])
    }

    /// Edge and reflect modes copy boundary elements: [1, 2, 3] padded by 2 and 1.
    @Test func padEdgeAndReflect() throws {
        for (mode, expected) in [("edge", [1.0, 1, 1, 2, 3, 3]), ("reflect", [3.0, 2, 1, 2, 3, 2])] {
            let model = M.model([M.node("Pad", ["x", "pads"], ["y"], attributes: [M.attribute("mode", string: mode)])],
                                inputs: [M.valueInfo("x", [1, 3])], output: M.valueInfo("y", [1, 6]),
                                initializers: [M.int64Tensor("pads", [0, 2, 0, 1])])
            #expect(try M.load(model).evaluate([1, 2, 3]) == expected, "\(mode)")
        }
    }

    @Test func padRefusesWrapAndLongReflections() {
        let wrap = M.model([M.node("Pad", ["x", "pads"], ["y"], attributes: [M.attribute("mode", string: "wrap")])],
                           inputs: [M.valueInfo("x", [1, 3])], output: M.valueInfo("y", [1, 4]),
                           initializers: [M.int64Tensor("pads", [0, 1, 0, 0])], opset: 19)
        #expect(throws: ONNXError.unsupportedAttribute(file: Self.file, node: Self.at(0, "Pad"), attribute: "mode", value: "'wrap'")) {
            try M.load(wrap)
        }
        let reflect = M.model([M.node("Pad", ["x", "pads"], ["y"], attributes: [M.attribute("mode", string: "reflect")])],
                              inputs: [M.valueInfo("x", [1, 3])], output: M.valueInfo("y", [1, 6]),
                              initializers: [M.int64Tensor("pads", [0, 3, 0, 0])])
        #expect(throws: ONNXError.unsupportedUse(file: Self.file, node: Self.at(0, "Pad"),
                                                 reason: "reflect padding of 3 on axis 1 of size 3 is not supported (at most 2)")) {
            try M.load(reflect)
        }
    }

    /// A 3×3 image, kernel 2×2, stride 1, padding 1 on the right and bottom, padding not
    /// counted: windows of 4, 2, 2 and 1 elements. Every count is a power of two, so the
    /// weights are exact reciprocals and no divide layer is needed.
    @Test func averagePoolWithPowerOfTwoCountsNeedsNoDivide() throws {
        let model = M.model([M.node("AveragePool", ["x"], ["y"], attributes: [
            M.attribute("kernel_shape", ints: [2, 2]), M.attribute("strides", ints: [2, 2]), M.attribute("pads", ints: [0, 0, 1, 1]),
        ])], inputs: [M.valueInfo("x", [1, 1, 3, 3])], output: M.valueInfo("y", [1, 1, 2, 2]))
        let network = try M.load(model)
        #expect(network.layers.map(\.kindName) == ["affine"])
        #expect(network.evaluate([1, 2, 3, 4, 5, 6, 7, 8, 9]) == [3, 4.5, 7.5, 9])
    }

    /// Kernel 3×3, padding 1, not counted: corner windows hold 4 elements, edges 6, the centre
    /// 9; counting the padding divides every window by 9. Either way a divide layer divides
    /// exactly by the counts.
    @Test func averagePoolDividesByTheCount() throws {
        for (include, corner) in [(Int64(0), 12.0 / 4), (1, 12.0 / 9)] {
            let model = M.model([M.node("AveragePool", ["x"], ["y"], attributes: [
                M.attribute("kernel_shape", ints: [3, 3]), M.attribute("pads", ints: [1, 1, 1, 1]),
                M.attribute("count_include_pad", int: include),
            ])], inputs: [M.valueInfo("x", [1, 1, 3, 3])], output: M.valueInfo("y", [1, 1, 3, 3]))
            let network = try M.load(model)
            #expect(network.layers.map(\.kindName) == ["affine", "divide"])
            guard case let .divide(divisors) = network.layers[1] else { continue }
            #expect(divisors == (include == 0 ? [4, 6, 4, 6, 9, 6, 4, 6, 4] : Array(repeating: 9, count: 9)))
            // Window of the top-left corner: 1 + 2 + 4 + 5 = 12.
            #expect(network.evaluate([1, 2, 3, 4, 5, 6, 7, 8, 9])[0] == corner)
        }
    }

    @Test func averagePoolRefusesCeilModeAndDilations() {
        let model = M.model([M.node("AveragePool", ["x"], ["y"], attributes: [
            M.attribute("kernel_shape", ints: [2, 2]), M.attribute("ceil_mode", int: 1),
        ])], inputs: [M.valueInfo("x", [1, 1, 3, 3])], output: M.valueInfo("y", [1, 1, 2, 2]))
        #expect(throws: ONNXError.unsupportedAttribute(file: Self.file, node: Self.at(0, "AveragePool"), attribute: "ceil_mode", value: "1")) {
            try M.load(model)
        }
        let dilated = M.model([M.node("AveragePool", ["x"], ["y"], attributes: [
            M.attribute("kernel_shape", ints: [2, 2]), M.attribute("dilations", ints: [2, 2]),
        ])], inputs: [M.valueInfo("x", [1, 1, 3, 3])], output: M.valueInfo("y", [1, 1, 1, 1]), opset: 19)
        #expect(throws: ONNXError.unsupportedAttribute(file: Self.file, node: Self.at(0, "AveragePool"), attribute: "dilations", value: "[2, 2]")) {
            try M.load(dilated)
        }
    }

    /// With pads as an input (opset 11 on), a `value` attribute is an error, not ignored.
    @Test func padValueAttributeWithPadsInputIsRefused() {
        let model = M.model([M.node("Pad", ["x", "pads"], ["y"], attributes: [M.attribute("value", float: 3)])],
                            inputs: [M.valueInfo("x", [1, 3])], output: M.valueInfo("y", [1, 4]),
                            initializers: [M.int64Tensor("pads", [0, 1, 0, 0])])
        #expect(throws: ONNXError.invalidAttribute(file: Self.file, node: Self.at(0, "Pad"), attribute: "value",
                                                   reason: "is an attribute of Pad before opset 11, where pads is one too; with pads as an input, give constant_value as an input")) {
            try M.load(model)
        }
    }

    /// pool_chain.onnx stays a chain: Conv, Pad, AveragePool (then its exact divide), Relu, Gemm.
    @Test func poolChainFixtureLayers() throws {
        let network = try ONNXLoader.load(contentsOf: Fixtures.url("graph/pool_chain.onnx"))
        #expect(network.layers.map(\.kindName) == ["affine", "affine", "affine", "divide", "relu", "affine"])
    }

    @Test func supportedOperatorsListPadAndAveragePool() {
        #expect(ONNXLoader.supportedOperators.contains("Pad"))
        #expect(ONNXLoader.supportedOperators.contains("AveragePool"))
    }
}
