import BigInt
import Testing
@testable import ExactArithmetic

@Suite struct RationalTests {
    @Test func exactDoubleConversion() {
        // 0.1 as a double is 3602879701896397 / 2^55.
        #expect(Rational(exactly: 0.1)?.description == "3602879701896397/36028797018963968")
        #expect(Rational(exactly: -2.5)?.description == "-5/2")
        #expect(Rational(exactly: Double.leastNonzeroMagnitude)?.denominator == BigInt(1) << 1074)
        #expect(Rational(exactly: Double.nan) == nil)
        #expect(Rational(exactly: Float(0.1))?.description == "13421773/134217728")
    }

    @Test func decimalParsing() {
        #expect(Rational(decimal: "0.1")?.description == "1/10")
        #expect(Rational(decimal: "-0.30353115613746867")?.description == "-30353115613746867/100000000000000000")
        #expect(Rational(decimal: "1e-3")?.description == "1/1000")
        #expect(Rational(decimal: "6.02E2")?.description == "602")
        #expect(Rational(decimal: "-0") == .zero)
        #expect(Rational(decimal: ".5")?.description == "1/2")
        #expect(Rational(decimal: "3.")?.description == "3")
        for bad in ["", "-", "1e", "1.2.3", "abc", "1e+", "0x10", "1e999999"] {
            #expect(Rational(decimal: bad) == nil, "accepted \(bad)")
        }
    }

    @Test func directedRoundingEnclosesTheValue() {
        for text in ["0.1", "-0.1", "1e-320", "-1e-320", "1e308", "3.141592653589793238462643", "1e400", "-1e400"] {
            let r = Rational(decimal: text)!
            let down = r.toDouble(rounding: .down)
            let up = r.toDouble(rounding: .up)
            #expect(down <= up)
            if let d = Rational(exactly: down) { #expect(d <= r, "\(text) down") }
            if let u = Rational(exactly: up) { #expect(u >= r, "\(text) up") }
            if down.isFinite && up.isFinite { #expect(up == down || up == down.nextUp, "\(text) not tight") }
        }
        #expect(Rational(decimal: "0.5")!.toDouble(rounding: .down) == 0.5)
        #expect(Rational(decimal: "0.5")!.toDouble(rounding: .up) == 0.5)
    }

    @Test func arithmetic() {
        let a = Rational(1, 3), b = Rational(1, 6)
        #expect((a + b).description == "1/2")
        #expect((a - b).description == "1/6")
        #expect((a * b).description == "1/18")
        #expect((a / b).description == "2")
        #expect(b < a)
        #expect(Rational(BigInt(4), BigInt(-8)).description == "-1/2")
    }
}
