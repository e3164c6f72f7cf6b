import ExactArithmetic
import Foundation
import Testing
@testable import VNNLIB

/// Files written to hurt the reader, as untrusted files may: numbers too large to handle
/// exactly in reasonable time, and properties whose meaning is easy to get wrong.
@Suite struct HostileInputTests {
    private let x0 = "(declare-const X_0 Real)\n"

    /// Runs `body` and returns how long it took, in seconds.
    private func seconds(_ body: () -> Void) -> Double {
        let clock = ContinuousClock()
        let d = clock.measure(body)
        return Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
    }

    /// Found by the fuzzer: `1e99896` took over a minute to build exactly (the reduction of a
    /// 330,000-bit fraction). The range is now checked on the text first.
    @Test func hugeExponentIsRefusedQuickly() {
        var message: String?
        let time = seconds { message = errorMessage(x0 + "(assert (>= X_0 -0.4999e+99896))") }
        #expect(message == "t.vnnlib:2:17: numeral '-0.4999e+99896' is out of range (at most 1000 digits and an exponent of at most 1000 in magnitude)")
        #expect(time < 1)
        #expect(errorMessage(x0 + "(assert (>= X_0 1e-1001))")?.contains("numeral '1e-1001' is out of range") == true)
    }

    @Test func tooManyDigitsAreRefusedWithAShortQuote() {
        let long = String(repeating: "7", count: 1_001)
        #expect(errorMessage(x0 + "(assert (>= X_0 \(long)))")
                == "t.vnnlib:2:17: numeral '\(String(repeating: "7", count: 40))…' is out of range (at most 1000 digits and an exponent of at most 1000 in magnitude)")
        // At the limits: read exactly.
        let spec = try? parse("(assert (<= X_0 \(String(repeating: "9", count: 1_000))e1000))")
        #expect(spec?.cases.first?.box.upper[0]?.numerator.description == String(repeating: "9", count: 1_000) + String(repeating: "0", count: 1_000))
        #expect(errorMessage(x0 + "(assert (>= X_0 2e5", limits: .init(maximumNumeralExponent: 4))?.hasPrefix("t.vnnlib:2:17: numeral '2e5' is out of range") == true)
    }

    @Test func malformedNumeralsAreQuotedShort() {
        let text = "1.2." + String(repeating: "3", count: 100)
        #expect(errorMessage(x0 + "(assert (>= X_0 \(text)))") == "t.vnnlib:2:17: '\(text.prefix(40))…' is not a valid numeral")
    }

    @Test func nestedProductsCannotGrowWithoutBound() {
        let factor = "1e1000"
        let product = String(repeating: "(* \(factor) ", count: 12) + "X_0" + String(repeating: ")", count: 12)
        var message: String?
        let time = seconds { message = errorMessage(x0 + "(assert (<= \(product) 1))") }
        #expect(message == "t.vnnlib:2:33: the product's exact value needs more than 32768 bits")
        #expect(time < 2)
        // Two maximal factors fit.
        #expect((try? parse("(assert (<= (* 1e1000 1e-1000 1e999 X_0) 1))")) != nil)
    }

    @Test func extremeNumeralsAreExact() throws {
        let spec = try parse("(assert (and (>= X_0 -1e308) (<= X_0 1e-320) (<= X_1 1e400) (>= X_1 -1e-400)))")
        let box = try #require(spec.cases.first?.box)
        #expect(box.lower[0]?.description == "-1" + String(repeating: "0", count: 308))
        #expect(box.upper[0]?.description == "1/1" + String(repeating: "0", count: 320))
        // Directed rounding keeps an enclosure: 1e-320 is subnormal, 1e400 is beyond doubles.
        let upper = try #require(Rational(exactly: box.upperDoubles[0])), exact = try #require(box.upper[0])
        #expect(upper >= exact && box.upperDoubles[0] < 0x1p-1062)
        #expect(box.upperDoubles[1] == .infinity)
        #expect(box.lowerDoubles[1] < 0 && box.lowerDoubles[1] > -1e-300)
        #expect(box.lowerDoubles[0] == -1e308)
    }

    @Test func negativeZeroIsZero() throws {
        let spec = try parse("(assert (and (<= X_0 -0) (>= X_0 -0.0e5) (<= Y_0 -0)))")
        #expect(spec.cases.first?.box.lower[0] == .zero && spec.cases.first?.box.upper[0] == .zero)
        #expect(spec.cases.first?.outputConstraints.first?.expression.constant == .zero)
    }

    @Test func emptyInputRegionSaysWhy() throws {
        let spec = try parse("(assert (>= X_0 1))\n(assert (<= X_0 0))\n(assert (<= Y_0 0))")
        #expect(spec.cases.isEmpty)
        #expect(spec.emptinessReason == "every case of the property has an empty input region; the first: X_0 must be at least 1 and at most 0 (t.vnnlib:6:9)")
        let equal = try parse("(assert (= X_1 0.5))\n(assert (> X_1 0.75))")
        #expect(equal.cases.isEmpty && equal.emptinessReason?.contains("X_1 must be at least 3/4 and at most 1/2") == true)
        let constant = try parse("(assert (or (<= 1 0) (> -0 0)))")
        #expect(constant.cases.isEmpty && constant.emptinessReason == "the constraint at t.vnnlib:5:13 is false for every input")
        #expect(try parse("(assert (or))").emptinessReason == "the assertions are false for every input")
        // A non-empty property has no reason.
        #expect(try parse("(assert (<= Y_0 0))").emptinessReason == nil)
    }

    @Test func strictBoundsKeepTheirStrictConstraint() throws {
        let spec = try parse("(assert (and (< X_0 0.5) (> X_0 -0.5) (< Y_0 Y_1)))")
        let specCase = try #require(spec.cases.first)
        // The box holds the closed enclosure, the strict constraints stay for exact methods.
        #expect(specCase.box.lower[0] == q(-1, 2) && specCase.box.upper[0] == q(1, 2))
        #expect(specCase.inputConstraints.map(\.relation) == [.less, .less])
        #expect(specCase.outputConstraints.map(\.relation) == [.less])
        #expect(specCase.isSatisfied(inputs: [0.5, 0], outputs: [0, 1]) == false)
        #expect(specCase.isSatisfied(inputs: [0.25, 0], outputs: [0, 1]))
        #expect(specCase.isSatisfied(inputs: [0.25, 0], outputs: [1, 1]) == false)
    }

    @Test func equalityOnOutputs() throws {
        let spec = try parse("(assert (= Y_0 (+ Y_1 0.5)))")
        let constraint = try #require(spec.cases.first?.outputConstraints.first)
        #expect(constraint.relation == .equal)
        #expect(spec.violatedCase(inputs: [0, 0], outputs: [1, 0.5]) == 0)
        #expect(spec.violatedCase(inputs: [0, 0], outputs: [1, 0.5000001]) == nil)
    }

    @Test func propertyWithoutOutputConstraints() throws {
        let spec = try parse("(assert (and (>= X_0 0) (<= X_0 1)))", outputs: 3)
        #expect(spec.outputCount == 3 && spec.cases.count == 1)
        #expect(spec.cases[0].outputConstraints.isEmpty)
        // Every input of the region is unsafe, whatever the outputs.
        #expect(spec.violatedCase(inputs: [0.5, 0], outputs: [7, 8, 9]) == 0)
        #expect(spec.violatedCase(inputs: [2, 0], outputs: [7, 8, 9]) == nil)
    }

    @Test func unmentionedOutputsStillCount() throws {
        let spec = try parse("(assert (<= Y_2 0))", outputs: 5)
        #expect(spec.outputCount == 5)
        #expect(spec.cases.first?.outputConstraints.count == 1)
    }

    /// Streams have no size to check first: reading stops at the limit.
    @Test func endlessStreamIsRefusedAtTheLimit() throws {
        #expect(throws: VNNLIBError.unreadableFile(path: "/dev/zero", reason: "the stream holds more than 1000 bytes")) {
            try PropertyParser.parse(contentsOf: URL(fileURLWithPath: "/dev/zero"), limits: .init(maximumFileSize: 1000))
        }
        let empty = try PropertyParser.parse(contentsOf: URL(fileURLWithPath: "/dev/null"))
        #expect(empty.inputCount == 0 && empty.cases.count == 1)
    }

    @Test func duplicateAndUndeclaredVariables() {
        #expect(errorMessage("(declare-const Y_0 Real)\n(declare-const Y_0 Real)") == "t.vnnlib:2:16: 'Y_0' is already declared at line 1, column 16")
        #expect(errorMessage(x0 + "(assert (<= Y_0 0))") == "t.vnnlib:2:13: variable 'Y_0' is used but not declared")
    }
}
