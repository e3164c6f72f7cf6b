import Foundation
import Testing
import TestSupport
@testable import VNNLIB

/// Every input the fuzzer found (`Tests/Fixtures/fuzz-regressions/vnnlib`, filled by
/// `fuzz/run.sh`) must now give a specification or a one-line `VNNLIBError`, in little time.
@Suite struct FuzzRegressionTests {
    static let folder = Fixtures.url("fuzz-regressions/vnnlib")

    static var findings: [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.filter { !$0.hasPrefix(".") }.sorted()
    }

    @Test func findingsArePresent() {
        #expect(!Self.findings.isEmpty, "no regression inputs in \(Self.folder.path)")
    }

    @Test(arguments: findings)
    func findingParsesOrFailsCleanly(_ name: String) throws {
        let bytes = try [UInt8](Data(contentsOf: Self.folder.appendingPathComponent(name)))
        let clock = ContinuousClock()
        let start = clock.now
        do {
            _ = try PropertyParser.parse(bytes: bytes, fileName: name)
        } catch let error as VNNLIBError {
            #expect(error.description.hasPrefix(name + ":"))
            #expect(!error.description.contains("\n"))
        }
        #expect(clock.now - start < .seconds(5), "\(name) took \(clock.now - start)")
    }
}
