import ExactArithmetic
import Testing
@testable import Z3Backend

@Suite struct Z3NumeralTests {
    @Test func parsesZ3NumeralText() {
        #expect(Z3Numeral.rational("7") == Rational(7))
        #expect(Z3Numeral.rational("-7") == Rational(-7))
        #expect(Z3Numeral.rational("-3/4") == Rational(-3, 4))
        #expect(Z3Numeral.rational("6/4") == Rational(3, 2))
        #expect(Z3Numeral.rational("3602879701896397/36028797018963968") == Rational(exactly: 0.1))
        for bad in ["", "-", "1/0", "1.5", "1.414213?", "1/2/3", "/2", "2/", "1/-2", "x"] {
            #expect(Z3Numeral.rational(bad) == nil, "accepted \(bad)")
        }
    }

    @Test func writesExactText() {
        #expect(Z3Numeral.text(Rational(-3, 4)) == "-3/4")
        #expect(Z3Numeral.text(Rational(5)) == "5")
    }
}
