extension Variable {
    /// The variable named by `name`: `X_` or `Y_` followed by a decimal index without leading
    /// zeros (so `X_01` cannot alias `X_1`) and at most 9 digits.
    init?(name: ArraySlice<UInt8>) {
        guard name.count >= 3, name.count <= 11, name[name.startIndex + 1] == UInt8(ascii: "_") else { return nil }
        let digits = name.dropFirst(2)
        guard digits.allSatisfy(Lexer.isDigit), digits.count == 1 || digits.first != UInt8(ascii: "0") else { return nil }
        let index = digits.reduce(0) { $0 * 10 + Int($1 - UInt8(ascii: "0")) }
        switch name[name.startIndex] {
        case UInt8(ascii: "X"): self = .input(index)
        case UInt8(ascii: "Y"): self = .output(index)
        default: return nil
        }
    }
}
