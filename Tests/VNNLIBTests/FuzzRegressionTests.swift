import ExactArithmetic
import Foundation
import Testing
import TestSupport
@testable import VNNLIB

/// Every input the fuzzer found (`Tests/Fixtures/fuzz-regressions/vnnlib`, filled by
/// `fuzz/run.sh`) must now give a well-formed specification or a one-line `VNNLIBError` naming
/// the file, in little time. Each file goes through the reader `certus` uses, from disk.
@Suite struct FuzzRegressionTests {
    static let folder = Fixtures.url("fuzz-regressions/vnnlib")

    static var findings: [String] { Fixtures.fileNames(in: "fuzz-regressions/vnnlib") }

    @Test func findingsArePresent() {
        #expect(!Self.findings.isEmpty, "no regression inputs in \(Self.folder.path)")
    }

    @Test(arguments: findings)
    func findingParsesOrFailsCleanly(_ name: String) throws {
        let url = Self.folder.appendingPathComponent(name)
        let clock = ContinuousClock()
        let start = clock.now
        do {
            let spec = try PropertyParser.parse(contentsOf: url)
            // The invariants the verifier relies on (the fuzz target checks the same).
            for specCase in spec.cases {
                #expect(specCase.box.count == spec.inputCount && !specCase.box.isEmpty)
                let lower = specCase.box.lowerDoubles, upper = specCase.box.upperDoubles
                #expect(lower.indices.allSatisfy { !lower[$0].isNaN && !upper[$0].isNaN && lower[$0] <= upper[$0] })
                for constraint in specCase.inputConstraints {
                    #expect(constraint.expression.mentionsOnlyInputs)
                }
            }
        } catch let error as VNNLIBError {
            #expect(error.description.hasPrefix(url.relativePath + ":"), "\(error)")
            let isOneLine = !error.description.contains { $0.isNewline }
            #expect(isOneLine, "\(error)")
        }
        #expect(clock.now - start < .seconds(5), "\(name) took \(clock.now - start)")
    }
}
