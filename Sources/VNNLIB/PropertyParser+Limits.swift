extension PropertyParser {
    /// Caps that keep hostile or broken input from exhausting memory, stack or time.
    public struct Limits: Sendable, Hashable {
        /// The largest file (or text), in bytes, that is read at all. Default 256 MiB; never
        /// more than 4 GiB − 1 (`readableFileSize`), since the reader stores positions in 32 bits.
        public var maximumFileSize: Int
        /// The deepest nesting of parentheses. Default 10,000.
        public var maximumDepth: Int
        /// The most memory, in bytes, the cases of the disjunctive normal form may take, as
        /// `SpecificationCase.estimatedBytes` counts it. Default 256 MiB. The bound is on memory
        /// rather than on the number of cases because honest files differ by orders of magnitude
        /// in case size: a learned-index property has 120,000 cases of one input each
        /// (tens of MB), while a file crafted to multiply disjunctions over a 3,072-input box reaches
        /// the limit after a few hundred cases, in well under a second.
        public var maximumCaseBytes: Int
        /// The most digits a numeral may have (before any exponent). Default 1,000, enough to
        /// spell out any double exactly (at most 767 significant digits).
        public var maximumNumeralDigits: Int
        /// The largest magnitude of a numeral's written exponent (`1e-320` has 320). Default
        /// 1,000: far beyond the double range, while keeping every exact value a few thousand
        /// bits long, so that reading and comparing numbers stays fast.
        public var maximumNumeralExponent: Int
        /// The most bits the numerator or denominator of a coefficient computed by `*` may
        /// have. Default 32,768 (about 9,900 decimal digits); without it, nested products of
        /// large numerals would grow without bound.
        public var maximumNumberBits: Int

        /// `maximumFileSize`, capped below 4 GiB so every position fits the reader's 32 bits.
        public var readableFileSize: Int { min(maximumFileSize, Int(UInt32.max) - 1) }

        /// Creates limits; each defaults to the value documented on its property.
        public init(maximumFileSize: Int = 256 << 20, maximumDepth: Int = 10_000, maximumCaseBytes: Int = 256 << 20,
                    maximumNumeralDigits: Int = 1_000, maximumNumeralExponent: Int = 1_000,
                    maximumNumberBits: Int = 1 << 15) {
            self.maximumFileSize = maximumFileSize
            self.maximumDepth = maximumDepth
            self.maximumCaseBytes = maximumCaseBytes
            self.maximumNumeralDigits = maximumNumeralDigits
            self.maximumNumeralExponent = maximumNumeralExponent
            self.maximumNumberBits = maximumNumberBits
        }
    }
}
