extension PropertyParser {
    /// Caps that keep hostile or broken input from exhausting memory, stack or time.
    public struct Limits: Sendable, Hashable {
        /// The largest file (or text), in bytes, that is read at all. Default 256 MiB.
        public var maximumFileSize: Int
        /// The deepest nesting of parentheses. Default 10,000.
        public var maximumDepth: Int
        /// The most cases the disjunctive normal form may have. Default 100,000.
        public var maximumCases: Int

        /// Creates limits; each defaults to the value documented on its property.
        public init(maximumFileSize: Int = 256 << 20, maximumDepth: Int = 10_000, maximumCases: Int = 100_000) {
            self.maximumFileSize = maximumFileSize
            self.maximumDepth = maximumDepth
            self.maximumCases = maximumCases
        }
    }
}
