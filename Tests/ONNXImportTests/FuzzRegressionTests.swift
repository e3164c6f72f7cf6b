import Foundation
import NetworkIR
import Testing
import TestSupport
@testable import ONNXImport

/// Every input the fuzzer found (`Tests/Fixtures/fuzz-regressions/onnx`, filled by
/// `fuzz/run.sh`) must now import into a consistent network or fail with a one-line error
/// naming the file, in little time. Each file goes through the importer `certus` uses, from
/// disk.
@Suite struct FuzzRegressionTests {
    static let folder = Fixtures.url("fuzz-regressions/onnx")

    static var findings: [String] { Fixtures.fileNames(in: "fuzz-regressions/onnx") }

    @Test func findingsArePresent() {
        #expect(!Self.findings.isEmpty, "no regression inputs in \(Self.folder.path)")
    }

    @Test(arguments: findings)
    func findingImportsOrFailsCleanly(_ name: String) throws {
        let url = Self.folder.appendingPathComponent(name)
        let clock = ContinuousClock()
        let start = clock.now
        do {
            let network = try ONNXLoader.load(contentsOf: url)
            #expect(network.layerSizes.count == network.layers.count)
            if network.inputSize <= 1 << 16 {
                #expect(network.evaluate(Array(repeating: 0.5, count: network.inputSize)).count == network.outputSize)
            }
        } catch let error as ONNXError {
            #expect(error.description.hasPrefix(name + ":"), "\(error)")
            let isOneLine = !error.description.contains { $0.isNewline }
            #expect(isOneLine, "\(error)")
        } catch let error as NetworkError {
            let isOneLine = !error.description.contains { $0.isNewline }
            #expect(isOneLine, "\(error)")
        }
        #expect(clock.now - start < .seconds(5), "\(name) took \(clock.now - start)")
    }
}
