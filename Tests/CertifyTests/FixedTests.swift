import ExactArithmetic
import Testing
@testable import Certify

/// The grid arithmetic rounds in the direction asked, exactly.
struct FixedTests {
    /// Weights are read from a double's bits without big integers: the same dyadic as through
    /// the exact rational, for normal, subnormal, integer and float32 values of both signs; nil
    /// where the rational route gives none (integers beyond 63 bits, non-finite values).
    @Test func dyadicsFromDoubleBitsMatchTheRationalRoute() {
        var values: [Double] = [0, -0.0, 1, -1, 0.5, 3, 1024, -1e-3, 0.1, Double(Float(0.1)), 1e-310, -5e-324,
                                Double.leastNormalMagnitude, 4.5e15, 9.2e18, 1e19, -1e300, .infinity, .nan]
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        for _ in 0..<2000 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            values.append(Double(Float(bitPattern: UInt32(truncatingIfNeeded: state >> 32))))
        }
        for value in values {
            let route = Rational(exactly: value).flatMap { Dyadic($0) }
            let direct = Dyadic(exactly: value)
            #expect(direct == route, "\(value)")
        }
    }

    @Test func productsRoundDownAndUp() throws {
        let third = try Fixed.floor(Rational(1) / Rational(3))
        let two = Fixed.one.scaledHalf
        let down = try Fixed.mulDown(third, two)
        let up = try Fixed.mulUp(third, two)
        #expect(down <= up)
        #expect(down.rational <= third.rational * two.rational)
        #expect(up.rational >= third.rational * two.rational)
        let negative = try Fixed.mulDown(-third, two)
        #expect(negative.rational <= -(third.rational * two.rational))
    }

    @Test func dyadicWeightsMultiplyExactlyBeforeRounding() throws {
        let point = try #require(Rational(exactly: 0.1))
        let w = try #require(Dyadic(point))
        let x = try Fixed.floor(Rational(3))
        let down = try Fixed.mulDown(x, w), up = try Fixed.mulUp(x, w)
        let exact = Rational(3) * w.rational
        #expect(down.rational <= exact && exact <= up.rational)
        #expect(up.raw - down.raw <= 1)
        let small = try #require(Rational(exactly: 1e-30))
        let tiny = try #require(Dyadic(small))
        #expect(try Fixed.mulDown(x, tiny) == .zero)
        #expect(try Fixed.mulUp(x, tiny) == .ulp)
    }

    @Test func floorAndCeilOfRationals() throws {
        let q = Rational(-1) / Rational(3)
        #expect(try Fixed.floor(q).rational <= q)
        #expect(try Fixed.ceil(q).rational >= q)
        #expect(try Fixed.ceil(q).raw - Fixed.floor(q).raw == 1)
        #expect(try Fixed.floor(Rational(5)).rational == Rational(5))
    }

    @Test func hexFloatsParseExactly() throws {
        #expect(HexFloat.parse("0x1.8p-1") == Rational(3) / Rational(4))
        #expect(HexFloat.parse("-0x1p+2") == Rational(-4))
        #expect(HexFloat.parse("0x0p+0") == Rational(0))
        #expect(HexFloat.parse("1.5") == nil)
    }
}

extension Fixed {
    /// 2 as a grid number (test helper).
    var scaledHalf: Fixed { Fixed(raw: raw * 2) }
}
